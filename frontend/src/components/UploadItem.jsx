// One file in the upload list: its fields before it starts, then progress, speed and time left.
import { formatBytes, formatTimeLeft, VISIBILITY_WORDS } from '../format.js';
import { Field } from './Field.jsx';

function Progress({ item }) {
  const percent = item.total ? Math.floor((item.sent / item.total) * 100) : 0;
  return (
    <div class="upload-progress">
      <progress max="100" value={percent} aria-label={`Upload of ${item.file.name}`} />
      <p class="small muted" aria-live="polite">
        {percent}% · {formatBytes(item.sent)} of {formatBytes(item.total)}
        {item.status === 'uploading' && item.speed > 0 && (
          <> · {formatBytes(item.speed)}/s · {formatTimeLeft((item.total - item.sent) / item.speed)}</>
        )}
        {item.status === 'paused' && ' · paused'}
      </p>
    </div>
  );
}

export function UploadItem({ item, onChange, onStart, onPause, onResume, onRemove }) {
  const editable = item.status === 'pending';
  const set = (key) => (e) => onChange({ [key]: e.currentTarget.value });
  return (
    <li class="card upload-item" aria-label={item.file.name}>
      <div class="upload-head">
        <strong class="file-name">{item.file.name}</strong>
        <span class="muted small">{formatBytes(item.file.size)}</span>
      </div>
      {item.status === 'refused' ? (
        <p class="alert error" role="alert">{item.error}</p>
      ) : (
        <>
          <fieldset class="upload-fields" disabled={!editable}>
            <legend class="visually-hidden">Details of {item.file.name}</legend>
            <Field label="Title">
              {(p) => <input {...p} name="title" required maxLength={200} value={item.title}
                onInput={set('title')} />}
            </Field>
            <Field label="Description">
              {(p) => <textarea {...p} name="description" rows={2} maxLength={5000}
                value={item.description} onInput={set('description')} />}
            </Field>
            <Field label="Visibility">
              {(p) => (
                <select {...p} name="visibility" value={item.visibility} onChange={set('visibility')}>
                  {Object.entries(VISIBILITY_WORDS).map(([value, label]) => (
                    <option key={value} value={value}>{label}</option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
          {item.status !== 'pending' && <Progress item={item} />}
          {item.resumed && item.status === 'uploading' && (
            <p class="small muted">Carrying on from where the last attempt stopped.</p>
          )}
          {item.status === 'error' && <p class="alert error" role="alert">{item.error}</p>}
          {item.status === 'done' && (
            <p class="alert success" role="status">
              Uploaded. It is being processed now:{' '}
              <a href="/me/videos">follow it in My videos</a>
              {item.videoId && <> or <a href={`/watch/${item.videoId}`}>open its page</a></>}.
            </p>
          )}
        </>
      )}
      <div class="actions">
        {item.status === 'pending' && (
          <button type="button" class="button small" onClick={onStart}
            disabled={!item.title.trim()}>Upload</button>
        )}
        {item.status === 'uploading' && (
          <button type="button" class="button secondary small" onClick={onPause}>Pause</button>
        )}
        {(item.status === 'paused' || (item.status === 'error' && item.retryable)) && (
          <button type="button" class="button small" onClick={onResume}>Resume</button>
        )}
        {item.status !== 'uploading' && (
          <button type="button" class="link-button small" onClick={onRemove}>
            {item.status === 'done' ? 'Clear' : 'Remove'}
          </button>
        )}
      </div>
    </li>
  );
}
