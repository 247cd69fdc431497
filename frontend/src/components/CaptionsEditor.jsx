// The owner's caption tracks of a video: list, add (WebVTT or SRT, a language and a label; one
// per language, a new one replaces the old) and delete. The server checks the file and says
// which line is wrong.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorMessage, Field } from './Field.jsx';

export function CaptionsEditor({ video }) {
  const base = `/api/gallery/videos/${encodeURIComponent(video.id)}/captions`;
  const [captions, setCaptions] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ language: '', label: '' });

  const load = () => api(base).then(setCaptions, setError);
  useEffect(() => {
    load();
  }, [video.id]);

  const onAdd = async (e) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = new FormData(formEl);
    setBusy(true);
    setError(null);
    try {
      await api(base, { method: 'POST', body });
      formEl.reset();
      setForm({ language: '', label: '' });
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async (language) => {
    setError(null);
    try {
      await api(`${base}/${encodeURIComponent(language)}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(err);
    }
  };

  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  return (
    <section class="edit-section captions-editor" aria-label="Captions">
      <h3>Captions</h3>
      <ErrorMessage error={error} />
      {captions && captions.length === 0 && <p class="muted small">No captions yet.</p>}
      {captions && captions.length > 0 && (
        <ul class="caption-list">
          {captions.map((c) => (
            <li key={c.id}>
              <span>{c.label} <span class="muted">({c.language})</span></span>
              <button type="button" class="button secondary small" onClick={() => onDelete(c.language)}
                aria-label={`Delete ${c.label} captions`}>Delete</button>
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={onAdd} aria-label="Add captions">
        <Field label="Caption file" hint="WebVTT (.vtt) or SubRip (.srt)">
          {(p) => <input {...p} type="file" name="file" accept=".vtt,.srt,text/vtt" required />}
        </Field>
        <Field label="Language" hint="A code such as en, fr or pt-BR">
          {(p) => <input {...p} name="language" required maxLength={35} value={form.language}
            onInput={set('language')} />}
        </Field>
        <Field label="Label" hint="Shown in the player's captions menu">
          {(p) => <input {...p} name="label" maxLength={100} value={form.label}
            onInput={set('label')} />}
        </Field>
        <button type="submit" class="button small" disabled={busy}>Add captions</button>
      </form>
    </section>
  );
}
