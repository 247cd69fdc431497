// The one seek bar: played and buffered ranges, and storyboard tiles where the pointer hovers
// and where the thumb is while it is dragged or moved with the keys. Without a storyboard it
// shows just the time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../../format.js';
import { loadStoryboard, tileAt } from '../../storyboard.js';

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

const percent = (seconds, duration) => `${(100 * seconds) / duration}%`;

export function SeekBar({ media, storyboardUrl, onSeek }) {
  const { current, duration, buffered } = media;
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

  const shown = hover ?? (scrubbing ? current : null);
  return (
    <div class="seek-bar" ref={barRef} data-storyboard={cues.length ? 'yes' : 'no'}
      onPointerMove={onPointer} onPointerLeave={() => setHover(null)}>
      {shown !== null && duration > 0 && (
        <Tile cue={tileAt(cues, shown)} time={shown} fraction={shown / duration} />
      )}
      <div class="seek-track" aria-hidden="true">
        {duration > 0 && buffered.map(([start, end]) => (
          <span key={start} class="seek-buffered"
            style={{ left: percent(start, duration), width: percent(end - start, duration) }} />
        ))}
        {duration > 0 && <span class="seek-played" style={{ width: percent(current, duration) }} />}
      </div>
      <input type="range" min="0" max={duration || 0} step="any" value={current}
        disabled={!duration} aria-label="Seek"
        aria-valuetext={`${formatDuration(current)} of ${formatDuration(duration)}`}
        onInput={(e) => onSeek(Number(e.currentTarget.value))}
        onFocus={() => setScrubbing(true)} onBlur={() => setScrubbing(false)} />
    </div>
  );
}
