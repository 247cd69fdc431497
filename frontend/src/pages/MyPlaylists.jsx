// My playlists: make one, see each with its visibility (changed here at once), open one to
// change its order, or delete it.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.jsx';
import { ErrorMessage } from '../components/Field.jsx';
import { PlaylistForm, VisibilitySelect } from '../components/PlaylistForm.jsx';
import { RequireUser } from '../components/RequireUser.jsx';
import { Thumbnail } from '../components/VideoCard.jsx';
import { VisibilityBadge } from '../components/VisibilityBadge.jsx';
import { useAction, useLoader, usePageTitle } from '../hooks.js';
import { PLAYLISTS, playlistApi } from '../playlists.js';

function PlaylistRow({ playlist, onChanged }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const selectId = `visibility-${playlist.id}`;
  const setVisibility = (visibility) =>
    run(async () => {
      await api(playlistApi(playlist.id), { method: 'PATCH', json: { visibility } });
      onChanged();
    });
  const remove = () =>
    run(async () => {
      await api(playlistApi(playlist.id), { method: 'DELETE' });
      onChanged();
    });
  const count = playlist.videoCount;
  return (
    <li class="my-video my-playlist">
      <a href={`/playlist/${playlist.id}`} class="my-video-thumb" tabIndex={-1} aria-hidden="true">
        <Thumbnail video={{ thumbnailUrl: playlist.thumbnailUrl, status: 'ready' }} />
      </a>
      <div>
        <h2 class="video-title"><a href={`/playlist/${playlist.id}`}>{playlist.title}</a></h2>
        <p class="muted small">
          {count === 1 ? '1 video' : `${count} videos`}
          <VisibilityBadge visibility={playlist.visibility} />
        </p>
        <div class="actions">
          <label class="visually-hidden" for={selectId}>Visibility of {playlist.title}</label>
          <VisibilitySelect id={selectId} value={playlist.visibility} disabled={busy}
            onChange={setVisibility} />
          <a class="button secondary small" href={`/playlist/${playlist.id}`}>Edit order</a>
          <button type="button" class="button danger small" disabled={busy}
            onClick={() => setConfirming(true)}>
            Delete
          </button>
        </div>
        <ErrorMessage error={error} />
      </div>
      <ConfirmDialog open={confirming} title={`Delete "${playlist.title}"?`} confirmLabel="Delete"
        onConfirm={() => { setConfirming(false); remove(); }} onCancel={() => setConfirming(false)}>
        <p>The playlist goes; its videos stay.</p>
      </ConfirmDialog>
    </li>
  );
}

function MyPlaylistList() {
  const { data, error, loading, reload } = useLoader(
    (signal) => api(`${PLAYLISTS}/mine`, { signal }),
    [],
  );
  const create = async (body) => {
    await api(PLAYLISTS, { method: 'POST', json: body });
    reload();
    return true;
  };
  return (
    <>
      <details class="new-playlist">
        <summary>New playlist</summary>
        <PlaylistForm submitLabel="Create playlist" onSubmit={create} />
      </details>
      <ErrorMessage error={error} />
      {!data && loading && <p class="muted" role="status">Loading your playlists…</p>}
      {data && data.playlists.length === 0 && (
        <p class="empty">No playlists yet. Make one here, or with "Save to playlist" under a video.</p>
      )}
      {data && data.playlists.length > 0 && (
        <ul class="my-video-list">
          {data.playlists.map((playlist) => (
            <PlaylistRow key={`${playlist.id}-${playlist.updatedAt}`} playlist={playlist}
              onChanged={reload} />
          ))}
        </ul>
      )}
    </>
  );
}

export function MyPlaylists() {
  usePageTitle('My playlists');
  return (
    <RequireUser>
      <section class="page">
        <div class="toolbar">
          <h1>My playlists</h1>
          <a class="button secondary" href="/me/videos">My videos</a>
        </div>
        <MyPlaylistList />
      </section>
    </RequireUser>
  );
}
