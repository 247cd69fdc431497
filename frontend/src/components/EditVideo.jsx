// Edit a video's title, description, visibility and whether it takes comments; its captions and
// its picture.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { VISIBILITY_WORDS } from '../format.js';
import { CaptionsEditor } from './CaptionsEditor.jsx';
import { ErrorMessage, Field } from './Field.jsx';
import { ThumbnailEditor } from './ThumbnailEditor.jsx';

export function EditVideo({ video, onSaved, onCancel, onPictureChanged }) {
  const [form, setForm] = useState({
    title: video.title,
    description: video.description || '',
    visibility: video.visibility,
    commentsEnabled: video.commentsEnabled !== false,
  });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });

  const onSubmit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      onSaved(await api(`/api/gallery/videos/${video.id}`, { method: 'PATCH', json: form }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div class="edit-video-all">
    <form class="form edit-video" onSubmit={onSubmit} aria-label={`Edit ${video.title}`}>
      <ErrorMessage error={error} />
      <Field label="Title">
        {(p) => <input {...p} required maxLength={200} value={form.title} onInput={set('title')} />}
      </Field>
      <Field label="Description">
        {(p) => <textarea {...p} rows={3} maxLength={5000} value={form.description}
          onInput={set('description')} />}
      </Field>
      <Field label="Visibility">
        {(p) => (
          <select {...p} value={form.visibility} onChange={set('visibility')}>
            {Object.entries(VISIBILITY_WORDS).map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        )}
      </Field>
      <label class="checkbox-field">
        <input type="checkbox" checked={form.commentsEnabled}
          onChange={(e) => setForm({ ...form, commentsEnabled: e.currentTarget.checked })} />
        Allow comments
      </label>
      <div class="actions">
        <button type="submit" class="button small" disabled={busy}>Save</button>
        <button type="button" class="button secondary small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
    <CaptionsEditor video={video} />
    <ThumbnailEditor video={video} onChanged={onPictureChanged} />
    </div>
  );
}
