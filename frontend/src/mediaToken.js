// Media links carry their token in the path: /media/{video}/{token}/{file}. A token works for a
// limited time (the stream answer's expiresIn), and the server refuses one early once the video
// is no longer visible (private, deleted, owner disabled). The player keeps the newest token,
// writes it into every URL it loads (the URIs inside playlists are relative, so they inherit
// whatever token their playlist was fetched with), and asks the streaming API for a new one
// shortly before the current one runs out: a viewer can watch for hours without noticing.
import { api } from './api.js';

const MEDIA_PATH = /^(.*\/media\/[^/?#]+\/)([^/?#]+)(\/.*)$/;
const MOST_MARGIN_MS = 120_000;

export function tokenOf(url) {
  const match = MEDIA_PATH.exec(url);
  return match ? match[2] : null;
}

// The same file under another token; other URLs are left as they are.
export function withToken(url, token) {
  const match = MEDIA_PATH.exec(url);
  return match && token ? match[1] + token + match[3] : url;
}

export function mediaToken(videoId, stream, now = () => Date.now()) {
  let token = tokenOf(stream.masterUrl);
  let lifetimeMs = stream.expiresIn * 1000;
  let expiresAt = now() + lifetimeMs;
  let renewing = null;

  // One request for every caller; rejects (keeping the old token) when the video is gone.
  const renew = () => {
    renewing ??= api(`/api/stream/${encodeURIComponent(videoId)}`)
      .then((fresh) => {
        token = tokenOf(fresh.masterUrl) || token;
        lifetimeMs = fresh.expiresIn * 1000;
        expiresAt = now() + lifetimeMs;
        return token;
      })
      .finally(() => {
        renewing = null;
      });
    return renewing;
  };

  return {
    current: () => token,
    renew,
    // The token to use now: renewed first when less than a quarter of its life (at most two
    // minutes) is left. A failed renewal keeps the old one; the server then says why.
    async fresh() {
      if (expiresAt - now() < Math.min(MOST_MARGIN_MS, lifetimeMs / 4)) {
        await renew().catch(() => null);
      }
      return token;
    },
    // The server refused the token: the next request renews it first.
    refused() {
      expiresAt = 0;
    },
  };
}
