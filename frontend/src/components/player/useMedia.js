// The video element's state as Preact state: the controls redraw on the element's own events.
import { useEffect, useState } from 'preact/hooks';

const EVENTS = [
  'play', 'pause', 'playing', 'ended', 'timeupdate', 'durationchange', 'loadedmetadata',
  'progress', 'seeked', 'volumechange', 'ratechange', 'waiting', 'canplay',
];

function snapshot(video) {
  const buffered = [];
  for (let i = 0; i < video.buffered.length; i += 1) {
    buffered.push([video.buffered.start(i), video.buffered.end(i)]);
  }
  return {
    paused: video.paused,
    ended: video.ended,
    current: video.currentTime,
    duration: Number.isFinite(video.duration) ? video.duration : 0,
    buffered,
    volume: video.volume,
    muted: video.muted,
    rate: video.playbackRate,
    waiting: video.readyState < 3 && !video.paused,
  };
}

export function useMedia(videoRef) {
  const [state, setState] = useState({
    paused: true, ended: false, current: 0, duration: 0, buffered: [], volume: 1, muted: false,
    rate: 1, waiting: false,
  });
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return undefined;
    const update = () => setState(snapshot(video));
    for (const name of EVENTS) video.addEventListener(name, update);
    update();
    return () => {
      for (const name of EVENTS) video.removeEventListener(name, update);
    };
  }, [videoRef]);
  return state;
}

// The subtitle and caption tracks (hls.js puts its subtitle tracks among them too).
export function useTextTracks(videoRef) {
  const [tracks, setTracks] = useState([]);
  useEffect(() => {
    const list = videoRef.current?.textTracks;
    if (!list) return undefined;
    const update = () =>
      setTracks([...list].filter((t) => t.kind === 'subtitles' || t.kind === 'captions')
        .map((track) => ({ track, label: track.label || track.language || 'Captions',
          showing: track.mode === 'showing' })));
    for (const name of ['addtrack', 'removetrack', 'change']) list.addEventListener(name, update);
    update();
    return () => {
      for (const name of ['addtrack', 'removetrack', 'change']) list.removeEventListener(name, update);
    };
  }, [videoRef]);
  return tracks;
}

// Show one track (or none, with null).
export function showTrack(tracks, chosen) {
  for (const { track } of tracks) track.mode = track === chosen ? 'showing' : 'disabled';
}
