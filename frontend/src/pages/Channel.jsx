// A channel: an account's public page with its avatar, name, bio and public videos.
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { Avatar } from '../components/ChannelLink.jsx';
import { ErrorMessage } from '../components/Field.jsx';
import { Linkified } from '../components/Linkified.jsx';
import { Pager } from '../components/Pager.jsx';
import { VideoCard } from '../components/VideoCard.jsx';
import { formatDate } from '../format.js';
import { useLoader, usePageTitle } from '../hooks.js';
import { useUser } from '../session.js';

const PAGE_SIZE = 12;

export function Channel({ username }) {
  const { query } = useLocation();
  const user = useUser();
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const base = `/api/gallery/channels/${encodeURIComponent(username)}`;
  const { data: channel, error } = useLoader((signal) => api(base, { signal }), [username]);
  const { data: videos, error: videosError } = useLoader(
    (signal) => api(`${base}/videos`, { query: { page, limit: PAGE_SIZE }, signal }),
    [username, page],
  );
  const { data: lists } = useLoader(
    (signal) => api(`${base}/playlists`, { signal }),
    [username],
  );
  usePageTitle(channel ? channel.displayName : error ? 'Channel not found' : null);

  if (error) {
    return (
      <section class="page narrow">
        <h1>{error.status === 404 ? 'Channel not found' : 'Cannot show this channel'}</h1>
        <ErrorMessage error={error} />
        <p><a href="/">Back to the gallery</a></p>
      </section>
    );
  }
  if (!channel) return <p class="page muted" role="status">Loading…</p>;
  const own = user?.username === channel.username;
  return (
    <section class="page channel">
      <header class="channel-head">
        <Avatar url={channel.avatarUrl} name={channel.displayName} size={96} />
        <div class="channel-about">
          <h1>{channel.displayName}</h1>
          <p class="muted small">
            @{channel.username} · joined <time dateTime={channel.joinedAt}>{formatDate(channel.joinedAt)}</time>
          </p>
          {channel.bio && <p class="description"><Linkified text={channel.bio} /></p>}
          {own && <p><a href="/account">Edit your channel</a></p>}
        </div>
      </header>
      <h2>Videos</h2>
      <ErrorMessage error={videosError} />
      {videos && videos.videos.length === 0 && <p class="empty">No public videos yet.</p>}
      {videos && videos.videos.length > 0 && (
        <>
          <ul class="video-grid">
            {videos.videos.map((video) => <VideoCard key={video.id} video={video} />)}
          </ul>
          <Pager pagination={videos.pagination}
            hrefFor={(p) => `/u/${encodeURIComponent(username)}${p > 1 ? `?page=${p}` : ''}`} />
        </>
      )}
      {lists && lists.playlists.length > 0 && (
        <>
          <h2>Playlists</h2>
          <ul class="channel-playlists">
            {lists.playlists.map((playlist) => (
              <li key={playlist.id}>
                <a href={`/playlist/${playlist.id}`}>{playlist.title}</a>
                <span class="muted small"> · {playlist.videoCount} videos</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
