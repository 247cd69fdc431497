// The owner picks the video's picture: a moment of the video, or an uploaded image.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorMessage, Field } from './Field.jsx';

export function ThumbnailEditor({ video, onChanged }) {
  const base = `/api/gallery/videos/${encodeURIComponent(video.id)}/thumbnail`;
  const [time, setTime] = useState('0');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);

  const send = async (path, init, formEl) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const updated = await api(`${base}/${path}`, { method: 'POST', ...init });
      formEl?.reset();
      setDone('The picture was changed.');
      onChanged?.(updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onFrame = (e) => {
    e.preventDefault();
    send('frame', { json: { time: Number(time) } });
  };
  const onImage = (e) => {
    e.preventDefault();
    send('image', { body: new FormData(e.currentTarget) }, e.currentTarget);
  };

  return (
    <section class="edit-section thumbnail-editor" aria-label="Thumbnail">
      <h3>Thumbnail</h3>
      <ErrorMessage error={error} />
      {done && <p class="alert" role="status">{done}</p>}
      <form class="form inline" onSubmit={onFrame} aria-label="Use a frame of the video">
        <Field label="Frame at (seconds)">
          {(p) => <input {...p} type="number" min="0" step="0.1" max={video.duration || undefined}
            value={time} onInput={(e) => setTime(e.currentTarget.value)} required />}
        </Field>
        <button type="submit" class="button small" disabled={busy}>Use this frame</button>
      </form>
      <form class="form inline" onSubmit={onImage} aria-label="Upload a picture">
        <Field label="Picture" hint="JPEG, PNG, WebP or GIF, up to 10 MiB">
          {(p) => <input {...p} type="file" name="file" accept="image/*" required />}
        </Field>
        <button type="submit" class="button small" disabled={busy}>Upload picture</button>
      </form>
    </section>
  );
}
