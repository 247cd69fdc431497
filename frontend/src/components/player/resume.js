// Where each video was left, so playback can resume there. Kept per browser in localStorage
// for now; the player only uses this async interface, so a per-account store on the server can
// take its place later without touching the player.
const PREFIX = 'vf.resume.';
// Positions this close to either end are not worth offering (a replay, an unfinished intro).
const EDGE_SECONDS = 1;

export function worthResuming(seconds, duration) {
  return seconds >= EDGE_SECONDS && (!duration || seconds < duration - EDGE_SECONDS);
}

export const browserResume = {
  async get(videoId) {
    try {
      const seconds = Number(localStorage.getItem(PREFIX + videoId));
      return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
    } catch {
      return null; // storage disabled
    }
  },
  async set(videoId, seconds) {
    try {
      localStorage.setItem(PREFIX + videoId, String(Math.floor(seconds * 10) / 10));
    } catch {
      // storage disabled or full: nothing to resume next time
    }
  },
  async clear(videoId) {
    try {
      localStorage.removeItem(PREFIX + videoId);
    } catch {
      // storage disabled
    }
  },
};

// The same interface kept per account on the server (signed-in viewers): resumes on any device.
// A failed call resumes nothing rather than breaking playback.
const positionUrl = (videoId) => `/api/gallery/videos/${encodeURIComponent(videoId)}/position`;

export function accountResume(api) {
  return {
    async get(videoId) {
      try {
        const { seconds } = await api(positionUrl(videoId));
        return seconds > 0 ? seconds : null;
      } catch {
        return null;
      }
    },
    async set(videoId, seconds) {
      const rounded = Math.floor(seconds * 10) / 10;
      await api(positionUrl(videoId), { method: 'PUT', json: { seconds: rounded } }).catch(() => {});
    },
    async clear(videoId) {
      await api(positionUrl(videoId), { method: 'DELETE' }).catch(() => {});
    },
  };
}
