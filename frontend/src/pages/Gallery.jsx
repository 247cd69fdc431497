// The gallery: public videos as a grid, with search, sort and pagination kept in the URL.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { ErrorMessage } from '../components/Field.jsx';
import { Pager } from '../components/Pager.jsx';
import { VideoCard } from '../components/VideoCard.jsx';
import { useLoader, usePageTitle } from '../hooks.js';
import { useUser } from '../session.js';

const SORTS = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['title', 'Title'],
  ['views', 'Most viewed'],
  ['duration', 'Duration'],
];
const PAGE_SIZE = 12;

function galleryUrl({ search, sort, page }) {
  const params = new URLSearchParams();
  if (search) params.set('search', search);
  if (sort && sort !== 'newest') params.set('sort', sort);
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

export function Gallery() {
  const { query, route } = useLocation();
  const user = useUser();
  const search = query.search || '';
  const sort = query.sort || 'newest';
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  usePageTitle(search ? `“${search}”` : null);

  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);

  const { data, error, loading } = useLoader(
    (signal) =>
      api('/api/gallery/videos', { query: { search, sort, page, limit: PAGE_SIZE }, signal }),
    [search, sort, page],
  );

  const onSearch = (e) => {
    e.preventDefault();
    route(galleryUrl({ search: text.trim(), sort, page: 1 }));
  };

  return (
    <section class="page">
      <div class="toolbar">
        <h1>Gallery</h1>
        <form class="search" role="search" onSubmit={onSearch}>
          <label for="gallery-search" class="visually-hidden">Search videos</label>
          <input id="gallery-search" type="search" name="search" placeholder="Search videos"
            value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" class="button">Search</button>
        </form>
        <div class="field inline">
          <label for="gallery-sort">Sort by</label>
          <select id="gallery-sort" value={sort}
            onChange={(e) => route(galleryUrl({ search, sort: e.currentTarget.value, page: 1 }))}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={error} />
      {data && data.videos.length === 0 && (
        <p class="empty">
          {search ? `No videos match “${search}”.` : 'No videos yet. Be the first to upload one! '}
          {!search && (
            <a href={user ? '/upload' : '/signin?next=/upload'}>
              {user ? 'Upload a video' : 'Sign in to upload'}
            </a>
          )}
        </p>
      )}
      {data && data.videos.length > 0 && (
        <>
          <p class="muted small" aria-live="polite">
            {data.pagination.total} {data.pagination.total === 1 ? 'video' : 'videos'}
            {search && ` matching “${search}”`}
          </p>
          <ul class="video-grid" aria-busy={loading ? 'true' : 'false'}>
            {data.videos.map((video) => <VideoCard key={video.id} video={video} />)}
          </ul>
          <Pager pagination={data.pagination} hrefFor={(p) => galleryUrl({ search, sort, page: p })} />
        </>
      )}
      {!data && loading && <p class="muted" role="status">Loading videos…</p>}
    </section>
  );
}
