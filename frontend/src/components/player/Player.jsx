// The player: one set of controls over the video element (the browser's own are off), with the
// stream loaded by useHls.js. Shortcuts work page-wide (shortcuts.js); the position is kept to
// resume from (resume.js); ?t= starts at a moment. The playing rendition is shown as
// data-playing-level, for tests and for curious people with devtools.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../../format.js';
import { Controls } from './Controls.jsx';
import { browserResume, worthResuming } from './resume.js';
import { shortcutFor } from './shortcuts.js';
import { SPEEDS } from './levels.js';
import { showTrack, useMedia, useTextTracks } from './useMedia.js';
import { AUTO, useStreamQualities } from './useHls.js';

const IDLE_MS = 2500;
const SAVE_EVERY_SECONDS = 2;

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

// Controls show while paused, on pointer or keyboard activity, and while a menu is open.
function useActivity(media) {
  const [active, setActive] = useState(true);
  const timer = useRef(null);
  const poke = () => {
    setActive(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setActive(false), IDLE_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return { shown: active || media.paused, poke };
}

function useFullscreen(rootRef, videoRef) {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const update = () => setOn(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const toggle = () => {
    const root = rootRef.current;
    if (document.fullscreenElement) return document.exitFullscreen().catch(() => {});
    if (root.requestFullscreen) return root.requestFullscreen().catch(() => {});
    return videoRef.current?.webkitEnterFullscreen?.(); // iPhone: only the video goes fullscreen
  };
  return { on, toggle };
}

// Where this video was left: offered back once, and kept up to date while it plays.
function useResume(videoRef, videoId, media, store, startAt) {
  const [offer, setOffer] = useState(null);
  const lastSaved = useRef(0);
  useEffect(() => {
    let live = true;
    if (startAt === null) {
      store.get(videoId).then((seconds) => live && seconds && setOffer(seconds));
    }
    return () => {
      live = false;
    };
  }, [videoId]);
  useEffect(() => {
    if (media.ended || (media.duration && !worthResuming(media.current, media.duration))) {
      if (media.current > 1) store.clear(videoId);
      return;
    }
    const moved = Math.abs(media.current - lastSaved.current) >= SAVE_EVERY_SECONDS;
    if (worthResuming(media.current, media.duration) && (moved || media.paused)) {
      lastSaved.current = media.current;
      store.set(videoId, media.current);
    }
  }, [media.current, media.paused, media.ended]);
  const hide = offer !== null && media.duration && !worthResuming(offer, media.duration);
  return {
    offer: hide || media.ended ? null : offer,
    accept() {
      const video = videoRef.current;
      video.currentTime = offer;
      video.play().catch(() => {});
      setOffer(null);
    },
    decline() {
      store.clear(videoId);
      setOffer(null);
    },
  };
}

export function Player({
  videoId, stream, poster, title, storyboardUrl, theatre, onTheatre, startAt = null,
  videoRef: givenRef, resumeStore = browserResume,
}) {
  const ownRef = useRef(null);
  const videoRef = givenRef || ownRef;
  const rootRef = useRef(null);
  const media = useMedia(videoRef);
  const tracks = useTextTracks(videoRef);
  const quality = useStreamQualities(videoRef, videoId, stream);
  const [choice, setChoice] = useState(AUTO);
  const [lastTrack, setLastTrack] = useState(null);
  const activity = useActivity(media);
  const fullscreen = useFullscreen(rootRef, videoRef);
  const resume = useResume(videoRef, videoId, media, resumeStore, startAt);

  useEffect(() => {
    const video = videoRef.current;
    if (!startAt || !video) return undefined;
    const jump = () => {
      video.currentTime = startAt;
    };
    if (video.readyState >= 1) jump();
    else video.addEventListener('loadedmetadata', jump, { once: true });
    return () => video.removeEventListener('loadedmetadata', jump);
  }, [startAt, stream.masterUrl]);

  const video = () => videoRef.current;
  const actions = {
    togglePlay() {
      const v = video();
      if (v.paused || v.ended) v.play().catch(() => {});
      else v.pause();
    },
    seekTo(seconds) {
      const v = video();
      v.currentTime = clamp(seconds, 0, Number.isFinite(v.duration) ? v.duration : seconds);
    },
    seekBy(delta) {
      actions.seekTo(video().currentTime + delta);
    },
    seekToFraction(fraction) {
      const { duration } = video();
      if (Number.isFinite(duration)) actions.seekTo(duration * fraction);
    },
    setVolume(volume) {
      const v = video();
      v.volume = clamp(volume, 0, 1);
      v.muted = v.volume === 0;
    },
    volumeBy(delta) {
      actions.setVolume(video().volume + delta);
    },
    toggleMute() {
      const v = video();
      v.muted = !v.muted;
      if (!v.muted && v.volume === 0) v.volume = 0.5;
    },
    setRate(rate) {
      video().playbackRate = rate;
    },
    speedStep(step) {
      const at = SPEEDS.indexOf(video().playbackRate);
      const index = at < 0 ? SPEEDS.indexOf(1) : at;
      actions.setRate(SPEEDS[clamp(index + step, 0, SPEEDS.length - 1)]);
    },
    setQuality(value) {
      setChoice(value);
      quality.choose(value);
    },
    setTrack(track) {
      if (track) setLastTrack(track);
      showTrack(tracks, track);
    },
    toggleCaptions() {
      if (!tracks.length) return;
      const showing = tracks.find((t) => t.showing);
      actions.setTrack(showing ? null : lastTrack || tracks[0].track);
    },
    toggleFullscreen: () => fullscreen.toggle(),
    toggleTheatre: () => onTheatre?.(),
    async togglePictureInPicture() {
      if (document.pictureInPictureElement) await document.exitPictureInPicture();
      else await video().requestPictureInPicture();
    },
  };

  useEffect(() => {
    const onKey = (event) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const action = shortcutFor(event, actions);
      if (!action) return;
      event.preventDefault(); // no page scroll on Space and the arrows
      activity.poke();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  // A tap on a touch screen while the controls are hidden shows them; otherwise a tap or click
  // plays or pauses (so the first tap on a phone starts playback).
  const lastPointer = useRef('mouse');
  const onVideoClick = () => {
    if (lastPointer.current === 'touch' && !activity.shown) activity.poke();
    else actions.togglePlay();
  };

  const classes = ['player', theatre && 'theatre', fullscreen.on && 'fullscreen',
    !activity.shown && 'idle'].filter(Boolean).join(' ');
  return (
    <div ref={rootRef} class={classes} data-playing-level={quality.playingLabel || ''}
      onPointerMove={activity.poke} onFocusIn={activity.poke}
      onPointerDown={(e) => {
        lastPointer.current = e.pointerType;
      }}>
      <video ref={videoRef} playsInline preload="metadata" poster={poster || undefined}
        aria-label={`Video: ${title}`} onClick={onVideoClick}
        onDblClick={actions.toggleFullscreen} />
      {media.paused && !media.current && !resume.offer && (
        // Out of the tab order: the control bar's Play does the same, and the seek bar should be
        // the first stop after the header.
        <button type="button" class="big-play" aria-label="Play" tabIndex={-1}
          onClick={actions.togglePlay}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z" fill="currentColor" /></svg>
        </button>
      )}
      {resume.offer && (
        <div class="resume-prompt" role="group" aria-label="Resume playback">
          <span>Resume from {formatDuration(resume.offer)}?</span>
          <button type="button" class="button small" onClick={resume.accept}>Resume</button>
          <button type="button" class="button secondary small" onClick={resume.decline}>
            Start over
          </button>
        </div>
      )}
      {quality.error && <p class="alert error player-error" role="alert">{quality.error}</p>}
      <Controls media={media} actions={actions} storyboardUrl={storyboardUrl}
        qualities={quality.qualities} choice={choice} playingLabel={quality.playingLabel}
        tracks={tracks} theatre={theatre} fullscreen={fullscreen.on} canTheatre={Boolean(onTheatre)} />
    </div>
  );
}
