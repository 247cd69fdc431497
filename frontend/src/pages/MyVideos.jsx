// My videos: everything I uploaded, whatever its state, with live processing progress.
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { ErrorMessage } from '../components/Field.jsx';
import { MyVideoRow } from '../components/MyVideoRow.jsx';
import { Pager } from '../components/Pager.jsx';
import { RequireUser } from '../components/RequireUser.jsx';
import { useLoader, usePageTitle } from '../hooks.js';

const PAGE_SIZE = 20;

function MyVideoList() {
  const { query } = useLocation();
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const { data, error, loading, reload } = useLoader(
    (signal) =>
      api('/api/gallery/videos', { query: { mine: true, page, limit: PAGE_SIZE }, signal }),
    [page],
  );
  return (
    <>
      <ErrorMessage error={error} />
      {!data && loading && <p class="muted" role="status">Loading your videos…</p>}
      {data && data.videos.length === 0 && (
        <p class="empty">
          You have not uploaded any videos yet. <a href="/upload">Upload one</a>.
        </p>
      )}
      {data && data.videos.length > 0 && (
        <ul class="my-video-list">
          {data.videos.map((video) => (
            <MyVideoRow key={`${video.id}-${video.jobId}-${video.status}`} video={video}
              onChanged={reload} onDeleted={reload} />
          ))}
        </ul>
      )}
      {data && <Pager pagination={data.pagination} hrefFor={(p) => `/me/videos?page=${p}`} />}
    </>
  );
}

export function MyVideos() {
  usePageTitle('My videos');
  return (
    <RequireUser>
      <section class="page">
        <div class="toolbar">
          <h1>My videos</h1>
          <a class="button secondary" href="/me/playlists">My playlists</a>
          <a class="button" href="/upload">Upload</a>
        </div>
        <MyVideoList />
      </section>
    </RequireUser>
  );
}
