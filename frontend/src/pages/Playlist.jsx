// A playlist: its title, owner, description and entries, with Play all; its owner also
// changes its details, the order of its entries, removes entries and deletes it here.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { ChannelLink } from '../components/ChannelLink.jsx';
import { ConfirmDialog } from '../components/ConfirmDialog.jsx';
import { ErrorMessage } from '../components/Field.jsx';
import { Linkified } from '../components/Linkified.jsx';
import { PlaylistEntries } from '../components/PlaylistEntries.jsx';
import { PlaylistForm } from '../components/PlaylistForm.jsx';
import { VisibilityBadge } from '../components/VisibilityBadge.jsx';
import { useAction, useLoader, usePageTitle } from '../hooks.js';
import { entryApi, playlistApi, watchInList } from '../playlists.js';

function OwnerTools({ playlist, onChanged }) {
  const { route } = useLocation();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const save = async (body) => {
    onChanged(await api(playlistApi(playlist.id), { method: 'PATCH', json: body }));
    setEditing(false);
    return true;
  };
  const remove = () =>
    run(async () => {
      await api(playlistApi(playlist.id), { method: 'DELETE' });
      route('/me/playlists');
    });
  return (
    <div class="owner-tools">
      <div class="actions">
        <button type="button" class="button secondary small" aria-expanded={String(editing)}
          onClick={() => setEditing(!editing)}>
          Edit details
        </button>
        <button type="button" class="button danger small" disabled={busy}
          onClick={() => setConfirming(true)}>
          Delete playlist
        </button>
      </div>
      {editing && <PlaylistForm initial={playlist} submitLabel="Save" onSubmit={save} />}
      <ErrorMessage error={error} />
      <ConfirmDialog open={confirming} title={`Delete "${playlist.title}"?`} confirmLabel="Delete"
        onConfirm={() => { setConfirming(false); remove(); }} onCancel={() => setConfirming(false)}>
        <p>The playlist goes; its videos stay.</p>
      </ConfirmDialog>
    </div>
  );
}

export function Playlist({ id }) {
  const { data, error } = useLoader((signal) => api(playlistApi(id), { signal }), [id]);
  const [changed, setChanged] = useState(null);
  const playlist = changed?.id === id ? changed : data;
  const { busy, error: actionError, run } = useAction();
  usePageTitle(playlist ? playlist.title : error ? 'Playlist not found' : null);

  if (error) {
    return (
      <section class="page narrow">
        <h1>{error.status === 404 ? 'Playlist not found' : 'Cannot show this playlist'}</h1>
        <ErrorMessage error={error} />
        <p><a href="/">Back to the gallery</a></p>
      </section>
    );
  }
  if (!playlist) return <p class="page muted" role="status">Loading…</p>;
  const first = playlist.entries[0];
  const move = (entry, position) =>
    run(async () => setChanged(
      await api(`${entryApi(id, entry.id)}/position`, { method: 'PUT', json: { position } }),
    ));
  const remove = (entry) =>
    run(async () => setChanged(await api(entryApi(id, entry.id), { method: 'DELETE' })));
  const count = playlist.entries.length;
  return (
    <section class="page playlist-page">
      <div class="toolbar">
        <h1>{playlist.title}</h1>
        {first && <a class="button" href={watchInList(first.video.id, playlist.id)}>Play all</a>}
      </div>
      <p class="muted">
        <ChannelLink username={playlist.owner.username}>{playlist.owner.displayName}</ChannelLink>
        {' · '}
        {count === 1 ? '1 video' : `${count} videos`}
        <VisibilityBadge visibility={playlist.visibility} />
      </p>
      {playlist.description && (
        <p class="description"><Linkified text={playlist.description} /></p>
      )}
      {playlist.canEdit && <OwnerTools playlist={playlist} onChanged={setChanged} />}
      <ErrorMessage error={actionError} />
      {count === 0 ? (
        <p class="empty">
          No videos here yet.
          {playlist.canEdit && ' Use "Save to playlist" under a video to add one.'}
        </p>
      ) : (
        <PlaylistEntries playlist={playlist} busy={busy}
          onMove={playlist.canEdit ? move : undefined}
          onRemove={playlist.canEdit ? remove : undefined} />
      )}
    </section>
  );
}
