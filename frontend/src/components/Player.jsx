// The HLS player: hls.js wherever Media Source Extensions exist, the browser's own HLS otherwise
// (iOS Safari). A quality menu offers Auto plus every rendition and switches while playing.
// The hls.js instance is exposed as window.__vfPlayer and the playing rendition as
// data-playing-level, for tests and for curious people with devtools.
import Hls from 'hls.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { SeekBar } from './SeekBar.jsx';

const AUTO = -1;

function levelLabel(level) {
  return level.height ? `${level.height}p` : `${Math.round(level.bitrate / 1000)} kbps`;
}

function useHls(videoRef, masterUrl, setError) {
  const [hls, setHls] = useState(null);
  const [levels, setLevels] = useState([]);
  const [playing, setPlaying] = useState(null);
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !Hls.isSupported()) return undefined;
    const player = new Hls({ capLevelToPlayerSize: false });
    let mediaRecoveries = 0;
    player.on(Hls.Events.MANIFEST_PARSED, (_, data) =>
      setLevels(data.levels.map((level, index) => ({ index, label: levelLabel(level), ...level }))),
    );
    player.on(Hls.Events.LEVEL_SWITCHED, (_, data) => setPlaying(data.level));
    player.on(Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        player.startLoad();
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
        mediaRecoveries += 1;
        player.recoverMediaError();
      } else {
        setError('This video cannot be played right now. Please reload the page to try again.');
        player.destroy();
      }
    });
    player.loadSource(masterUrl);
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
  }, [masterUrl]);
  return { hls, levels, playing };
}

// Native HLS: each quality is its own playlist URL from the streaming API.
async function switchNative(video, videoId, quality, stream) {
  const url =
    quality === 'auto'
      ? stream.masterUrl
      : (await api(`/api/stream/${videoId}`, { query: { quality } })).streamUrl;
  const { currentTime, paused } = video;
  video.src = url;
  video.addEventListener('loadedmetadata', () => {
    video.currentTime = currentTime;
    if (!paused) video.play().catch(() => {});
  }, { once: true });
}

export function Player({ videoId, stream, poster, title, storyboardUrl }) {
  const videoRef = useRef(null);
  const [error, setError] = useState(null);
  const native = !Hls.isSupported();
  const { hls, levels, playing } = useHls(videoRef, stream.masterUrl, setError);
  const [choice, setChoice] = useState('auto');

  useEffect(() => {
    const video = videoRef.current;
    if (!native || !video) return;
    if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = stream.masterUrl;
    else setError('Your browser cannot play HLS video. Try a recent Firefox, Chrome or Safari.');
  }, [native, stream.masterUrl]);

  const options = native
    ? stream.qualities.filter((q) => q.quality !== 'auto' && q.available !== false)
        .map((q) => ({ value: q.quality, label: q.label || q.quality }))
    : [...levels].sort((a, b) => (b.height || b.bitrate) - (a.height || a.bitrate))
        .map((level) => ({ value: String(level.index), label: level.label }));
  const playingLevel = hls && playing !== null ? levels[playing] : null;
  const autoLabel = choice === 'auto' && playingLevel ? `Auto (${playingLevel.label})` : 'Auto';

  const onQuality = (e) => {
    const value = e.currentTarget.value;
    setChoice(value);
    if (hls) hls.currentLevel = value === 'auto' ? AUTO : Number(value);
    else switchNative(videoRef.current, videoId, value, stream).catch((err) => setError(err.message));
  };

  return (
    <div class="player" data-playing-level={playingLevel ? playingLevel.label : ''}>
      <video ref={videoRef} controls playsInline preload="metadata" poster={poster || undefined}
        aria-label={`Video: ${title}`} />
      {error && <p class="alert error" role="alert">{error}</p>}
      <SeekBar videoRef={videoRef} storyboardUrl={storyboardUrl} />
      <div class="player-bar">
        <label for="quality">Quality</label>
        <select id="quality" value={choice} onChange={onQuality} disabled={options.length === 0}>
          <option value="auto">{autoLabel}</option>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
        {playingLevel && choice !== 'auto' && (
          <span class="muted small" aria-live="polite">Playing {playingLevel.label}</span>
        )}
      </div>
    </div>
  );
}
