// A playlist's title, description and visibility: to make one, or to change it.
import { useState } from 'preact/hooks';
import { ErrorMessage, Field } from './Field.jsx';
import { useAction } from '../hooks.js';

export const VISIBILITY_CHOICES = [
  ['public', 'Public: anyone, and on your channel'],
  ['unlisted', 'Unlisted: anyone with the link'],
  ['private', 'Private: only you'],
];

export function VisibilitySelect({ id, value, onChange, ...rest }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} {...rest}>
      {VISIBILITY_CHOICES.map(([name, words]) => <option key={name} value={name}>{words}</option>)}
    </select>
  );
}

export function PlaylistForm({ initial, submitLabel, onSubmit, withDescription = true }) {
  const [title, setTitle] = useState(initial?.title || '');
  const [description, setDescription] = useState(initial?.description || '');
  const [visibility, setVisibility] = useState(initial?.visibility || 'public');
  const { busy, error, run } = useAction();
  const submit = async (event) => {
    event.preventDefault();
    const body = { title, visibility, ...(withDescription ? { description } : {}) };
    const done = await run(() => onSubmit(body));
    if (done && !initial) setTitle('');
  };
  return (
    <form class="playlist-form" onSubmit={submit}>
      <Field label="Playlist title">
        {(props) => <input {...props} value={title} required maxLength={200}
          onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      {withDescription && (
        <Field label="Description">
          {(props) => <textarea {...props} value={description} maxLength={5000} rows={3}
            onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
      )}
      <Field label="Visibility">
        {(props) => <VisibilitySelect {...props} value={visibility} onChange={setVisibility} />}
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" class="button" disabled={busy}>{submitLabel}</button>
    </form>
  );
}
