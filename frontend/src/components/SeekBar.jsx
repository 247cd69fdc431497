// A seek bar under the player that shows storyboard tiles: where the pointer hovers, and where
// the thumb is while it is dragged or moved with the arrow keys. Without a storyboard it is a
// plain seek bar.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../format.js';
import { loadStoryboard, tileAt } from '../storyboard.js';

function useMediaTime(videoRef) {
  const [time, setTime] = useState({ current: 0, duration: 0 });
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return undefined;
    const update = () =>
      setTime({
        current: video.currentTime,
        duration: Number.isFinite(video.duration) ? video.duration : 0,
      });
    const events = ['timeupdate', 'durationchange', 'loadedmetadata', 'seeked'];
    for (const name of events) video.addEventListener(name, update);
    return () => {
      for (const name of events) video.removeEventListener(name, update);
    };
  }, [videoRef]);
  return time;
}

function Tile({ cue, time, fraction }) {
  return (
    <div class="seek-preview" style={{ left: `${fraction * 100}%` }} aria-hidden="true"
      data-testid="seek-preview">
      {cue && (
        <div class="seek-tile" style={{
          width: `${cue.w}px`,
          height: `${cue.h}px`,
          backgroundImage: `url("${cue.image}")`,
          backgroundPosition: `-${cue.x}px -${cue.y}px`,
        }} />
      )}
      <span class="seek-time">{formatDuration(time)}</span>
    </div>
  );
}

export function SeekBar({ videoRef, storyboardUrl }) {
  const { current, duration } = useMediaTime(videoRef);
  const [cues, setCues] = useState([]);
  const [hover, setHover] = useState(null); // seconds under the pointer
  const [scrubbing, setScrubbing] = useState(false);
  const barRef = useRef(null);

  useEffect(() => {
    const controller = new AbortController();
    loadStoryboard(storyboardUrl, controller.signal).then((found) => {
      if (!controller.signal.aborted) setCues(found);
    });
    return () => controller.abort();
  }, [storyboardUrl]);

  const onPointer = (e) => {
    const box = barRef.current.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    setHover(fraction * duration);
  };
  const seek = (e) => {
    const video = videoRef.current;
    if (video) video.currentTime = Number(e.currentTarget.value);
  };

  const shown = hover ?? (scrubbing ? current : null);
  return (
    <div class="seek-bar" ref={barRef} data-storyboard={cues.length ? 'yes' : 'no'}
      onPointerMove={onPointer} onPointerLeave={() => setHover(null)}>
      {shown !== null && duration > 0 && (
        <Tile cue={tileAt(cues, shown)} time={shown} fraction={shown / duration} />
      )}
      <input type="range" min="0" max={duration || 0} step="0.1" value={current}
        disabled={!duration} aria-label="Seek"
        aria-valuetext={`${formatDuration(current)} of ${formatDuration(duration)}`}
        onInput={seek} onFocus={() => setScrubbing(true)} onBlur={() => setScrubbing(false)} />
    </div>
  );
}
