// Loading the stream: hls.js wherever Media Source Extensions exist, the browser's own HLS
// otherwise (iOS Safari). Every media request carries the newest media token, renewed before it
// runs out (mediaToken.js). Auto quality is capped to the player's size in device pixels.
// The hls.js instance is exposed as window.__vfPlayer for tests and curious people.
import Hls from 'hls.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { mediaToken, withToken } from '../../mediaToken.js';
import { levelLabel } from './levels.js';

export const AUTO = 'auto';
const GONE = 'This video is no longer available.';

export const usesHlsJs = () => Hls.isSupported();

// A media URL answered "expired" (403) or "no longer visible" (404).
function refusedLink(data) {
  return [403, 404].includes(data.response?.code);
}

function useHlsJs(videoRef, videoId, stream, setError) {
  const [hls, setHls] = useState(null);
  const [levels, setLevels] = useState([]);
  const [playing, setPlaying] = useState(null);
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !Hls.isSupported()) return undefined;
    const token = mediaToken(videoId, stream);
    const player = new Hls({
      capLevelToPlayerSize: true,
      xhrSetup: async (xhr, url) => {
        xhr.open('GET', withToken(url, await token.fresh()), true);
      },
    });
    let mediaRecoveries = 0;
    let refusals = 0; // in a row: a file that stays refused with a fresh token is not coming back
    player.on(Hls.Events.FRAG_LOADED, () => {
      refusals = 0;
    });
    player.on(Hls.Events.MANIFEST_PARSED, (_, data) =>
      setLevels(data.levels.map((level, index) => ({ index, label: levelLabel(level), ...level }))),
    );
    player.on(Hls.Events.LEVEL_SWITCHED, (_, data) => setPlaying(data.level));
    player.on(Hls.Events.ERROR, (_, data) => {
      if (refusedLink(data)) token.refused();
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && refusedLink(data) && refusals < 3) {
        refusals += 1;
        // Renewed and loaded again where it stopped, unless the video is gone meanwhile.
        token.renew().then(
          () => player.startLoad(video.currentTime),
          () => {
            setError(GONE);
            player.destroy();
          },
        );
      } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        player.startLoad();
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
        mediaRecoveries += 1;
        player.recoverMediaError();
      } else {
        setError('This video cannot be played right now. Please reload the page to try again.');
        player.destroy();
      }
    });
    player.loadSource(stream.masterUrl);
    player.attachMedia(video);
    window.__vfPlayer = player;
    setHls(player);
    return () => {
      player.destroy();
      if (window.__vfPlayer === player) delete window.__vfPlayer;
      setHls(null);
      setLevels([]);
      setPlaying(null);
    };
  }, [stream.masterUrl]);
  return { hls, levels, playing };
}

// Native HLS: each quality is its own playlist URL from the streaming API, asked for each time
// so that its links are fresh ("auto" is the master playlist).
async function switchNative(video, videoId, quality) {
  const url = (await api(`/api/stream/${videoId}`, { query: { quality } })).streamUrl;
  const { currentTime, paused } = video;
  video.src = url;
  video.addEventListener('loadedmetadata', () => {
    video.currentTime = currentTime;
    if (!paused) video.play().catch(() => {});
  }, { once: true });
}

function useNativeHls(videoRef, videoId, stream, setError) {
  useEffect(() => {
    const video = videoRef.current;
    if (Hls.isSupported() || !video) return undefined;
    if (!video.canPlayType('application/vnd.apple.mpegurl')) {
      setError('Your browser cannot play HLS video. Try a recent Firefox, Chrome or Safari.');
      return undefined;
    }
    video.src = stream.masterUrl;
    // The browser's own HLS cannot be handed new tokens: when its links stop working, it
    // starts again from fresh ones at the same place (once a minute at most).
    let lastRenewal = 0;
    const renew = () => {
      if (Date.now() - lastRenewal < 60_000) return setError(GONE);
      lastRenewal = Date.now();
      return switchNative(video, videoId, AUTO).catch(() => setError(GONE));
    };
    video.addEventListener('error', renew);
    return () => video.removeEventListener('error', renew);
  }, [stream.masterUrl]);
}

// {qualities: [{value, label}] best first, playingLabel, choose(value)}; value AUTO is Auto.
export function useStreamQualities(videoRef, videoId, stream) {
  const [error, setError] = useState(null);
  const { hls, levels, playing } = useHlsJs(videoRef, videoId, stream, setError);
  useNativeHls(videoRef, videoId, stream, setError);
  const native = !Hls.isSupported();
  const qualities = native
    ? stream.qualities.filter((q) => q.quality !== AUTO && q.available !== false)
        .map((q) => ({ value: q.quality, label: q.label || q.quality }))
    : [...levels].sort((a, b) => (b.height || b.bitrate) - (a.height || a.bitrate))
        .map((level) => ({ value: String(level.index), label: level.label }));
  const playingLabel = hls && playing !== null && levels[playing] ? levels[playing].label : null;
  const choose = (value) => {
    if (hls) hls.currentLevel = value === AUTO ? -1 : Number(value);
    else switchNative(videoRef.current, videoId, value).catch((err) => setError(err.message));
  };
  return { qualities, playingLabel, choose, error };
}
