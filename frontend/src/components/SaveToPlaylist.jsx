// "Save to playlist" under a video: a dialog listing the viewer's playlists with a checkbox
// each (ticked: the video is in it; ticking adds, unticking removes) and a form to make a new
// playlist holding the video.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorMessage } from './Field.jsx';
import { PlaylistForm } from './PlaylistForm.jsx';
import { VisibilityBadge } from './VisibilityBadge.jsx';
import { useAction } from '../hooks.js';
import { PLAYLISTS, entryApi, playlistApi } from '../playlists.js';

async function toggle(playlist, videoId) {
  if (!playlist.hasVideo) {
    await api(`${playlistApi(playlist.id)}/entries`, { method: 'POST', json: { videoId } });
    return;
  }
  const full = await api(playlistApi(playlist.id));
  const entry = full.entries.find((e) => e.video.id === videoId);
  if (entry) await api(entryApi(playlist.id, entry.id), { method: 'DELETE' });
}

export function SaveToPlaylist({ videoId }) {
  const ref = useRef(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [playlists, setPlaylists] = useState(null);
  const { busy, error, run } = useAction();
  const load = () =>
    run(async () => {
      const mine = await api(`${PLAYLISTS}/mine`, { query: { videoId } });
      setPlaylists(mine.playlists);
    });
  useEffect(() => {
    const dialog = ref.current;
    if (open && !dialog.open) {
      dialog.showModal();
      load();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const create = async (body) => {
    const made = await api(PLAYLISTS, { method: 'POST', json: body });
    await api(`${playlistApi(made.id)}/entries`, { method: 'POST', json: { videoId } });
    await load();
    return true;
  };
  return (
    <>
      <button type="button" class="button secondary small" onClick={() => setOpen(true)}>
        Save to playlist
      </button>
      <dialog ref={ref} class="dialog save-to-playlist" aria-labelledby={titleId}
        onClose={() => setOpen(false)}>
        <h2 id={titleId}>Save to playlist</h2>
        {open && playlists === null && !error && (
          <p class="muted" role="status">Loading your playlists…</p>
        )}
        {playlists?.length === 0 && <p class="muted">You have no playlists yet.</p>}
        {playlists && playlists.length > 0 && (
          <ul class="playlist-choices">
            {playlists.map((playlist) => (
              <li key={playlist.id}>
                <label>
                  <input type="checkbox" checked={playlist.hasVideo} disabled={busy}
                    onChange={() => run(async () => {
                      await toggle(playlist, videoId);
                      await load();
                    })} />
                  {' '}{playlist.title}
                </label>
                <VisibilityBadge visibility={playlist.visibility} />
              </li>
            ))}
          </ul>
        )}
        <ErrorMessage error={error} />
        <details>
          <summary>New playlist</summary>
          <PlaylistForm submitLabel="Create and save" onSubmit={create} withDescription={false} />
        </details>
        <div class="actions">
          <button type="button" class="button secondary" onClick={() => setOpen(false)}>Done</button>
        </div>
      </dialog>
    </>
  );
}
