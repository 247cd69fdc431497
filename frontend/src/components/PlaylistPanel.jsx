// The playlist beside (or, on narrow screens, below) the player on /watch/{id}?list={listId}:
// its entries with the playing one marked, and, when a video ends, a short countdown to the
// next one that can be cancelled or skipped. Videos reached through a playlist start at once.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { PlaylistEntries } from './PlaylistEntries.jsx';
import { useLoader } from '../hooks.js';
import { nextEntry, playlistApi, watchInList } from '../playlists.js';

const COUNTDOWN_SECONDS = 5;

// Start the video once it can play: with sound when the browser allows it, else muted.
function startWhenLoaded(video) {
  const start = () =>
    video.play().catch(() => {
      video.muted = true;
      return video.play().catch(() => {});
    });
  if (video.readyState >= 1) start();
  else video.addEventListener('loadedmetadata', start, { once: true });
  return () => video.removeEventListener('loadedmetadata', start);
}

// Seconds left before the next video (null: no countdown); counts down once the video ends.
function useUpNext(videoRef, ready, next) {
  const [left, setLeft] = useState(null);
  const { route } = useLocation();
  useEffect(() => {
    const video = videoRef.current;
    if (!ready || !video || !next) return undefined;
    const ended = () => setLeft(COUNTDOWN_SECONDS);
    const playing = () => setLeft(null); // played again, or sought back: no countdown
    video.addEventListener('ended', ended);
    video.addEventListener('playing', playing);
    return () => {
      video.removeEventListener('ended', ended);
      video.removeEventListener('playing', playing);
    };
  }, [ready, next?.id]);
  useEffect(() => {
    if (left === null) return undefined;
    if (left <= 0) {
      route(watchInList(next.video.id, next.listId));
      return undefined;
    }
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return { left, cancel: () => setLeft(null), now: () => setLeft(0) };
}

export function PlaylistPanel({ listId, videoId, videoRef, ready }) {
  const { data: playlist, error } = useLoader(
    (signal) => api(playlistApi(listId), { signal }),
    [listId],
  );
  useEffect(() => {
    const video = videoRef.current;
    return ready && video ? startWhenLoaded(video) : undefined;
  }, [ready, videoId]);
  const found = playlist && nextEntry(playlist, videoId);
  const next = found ? { ...found, listId } : null;
  const upNext = useUpNext(videoRef, ready, next);

  if (error) return <p class="muted small playlist-panel">This playlist is not available.</p>;
  if (!playlist) return null;
  const at = playlist.entries.findIndex((entry) => entry.video.id === videoId);
  return (
    <aside class="playlist-panel" aria-labelledby="playlist-panel-title">
      <h2 id="playlist-panel-title">
        <a href={`/playlist/${playlist.id}`}>{playlist.title}</a>
      </h2>
      <p class="muted small">
        {at >= 0 ? `${at + 1} of ${playlist.entries.length}` : `${playlist.entries.length} videos`}
        {' · '}
        {playlist.owner.displayName}
      </p>
      {upNext.left !== null && next && (
        <div class="up-next" role="status">
          <p>
            Up next in <span data-testid="countdown">{upNext.left}</span> s: {next.video.title}
          </p>
          <button type="button" class="button small" onClick={upNext.now}>Play now</button>
          <button type="button" class="button secondary small" onClick={upNext.cancel}>Cancel</button>
        </div>
      )}
      <PlaylistEntries playlist={playlist} currentId={videoId} />
    </aside>
  );
}
