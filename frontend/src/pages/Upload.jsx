// The upload page: drop or pick several files, give each a title, and watch them go up.
import { useEffect, useRef, useState } from 'preact/hooks';
import { RequireUser } from '../components/RequireUser.jsx';
import { UploadItem } from '../components/UploadItem.jsx';
import { formatBytes } from '../format.js';
import { usePageTitle } from '../hooks.js';
import {
  fetchMaxUploadBytes,
  forgetUpload,
  refusalReason,
  startUpload,
  unfinishedUploads,
} from '../uploads.js';

let nextKey = 0;
const titleFrom = (name) => name.replace(/\.[^.]+$/, '').replace(/[_.]+/g, ' ').trim() || name;

function newItem(file, maxBytes) {
  const error = refusalReason(file, maxBytes, formatBytes);
  return {
    key: ++nextKey,
    file,
    title: titleFrom(file.name),
    description: '',
    visibility: 'public',
    status: error ? 'refused' : 'pending',
    error,
    sent: 0,
    total: file.size,
    speed: 0,
  };
}

function useUploads() {
  const [items, setItems] = useState([]);
  const handles = useRef(new Map());
  const update = (key, change) =>
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...change } : it)));

  const start = async (item) => {
    update(item.key, { status: 'uploading', error: null });
    let last = { time: performance.now(), sent: 0, speed: 0 };
    const started = startUpload(item.file, item, {
      onProgress(sent, total) {
        const now = performance.now();
        const seconds = (now - last.time) / 1000;
        if (seconds >= 0.5 || sent === total) {
          const instant = Math.max(0, sent - last.sent) / Math.max(seconds, 0.001);
          const speed = last.speed ? last.speed * 0.7 + instant * 0.3 : instant;
          last = { time: now, sent, speed };
          update(item.key, { sent, total, speed });
        }
      },
      onDone: (videoId) => update(item.key, { status: 'done', videoId, sent: item.file.size }),
      onError: (message, retryable) =>
        update(item.key, { status: 'error', error: message, retryable }),
    });
    let handle;
    try {
      handle = await started;
    } catch {
      update(item.key, { status: 'error', error: 'This browser could not start the upload.' });
      return;
    }
    handles.current.set(item.key, handle);
    if (handle.resumed) update(item.key, { resumed: true });
  };

  return {
    items,
    add: (files, maxBytes) => setItems((list) => [...list, ...files.map((f) => newItem(f, maxBytes))]),
    change: (key, change) => update(key, change),
    start,
    pause: (key) => {
      handles.current.get(key)?.pause();
      update(key, { status: 'paused', speed: 0 });
    },
    resume: (key) => {
      update(key, { status: 'uploading', error: null });
      handles.current.get(key)?.resume();
    },
    remove: (key) => setItems((list) => list.filter((it) => it.key !== key)),
  };
}

// An upload remembered in this browser and a file in the list are the same when name and size are.
const fileKey = (name, size) => `${name}\u0000${size}`;

// Uploads this browser started and never finished, but for those in the list right now (one
// being resumed is not "unfinished" to the person watching it go up).
function Unfinished({ inList }) {
  const [uploads, setUploads] = useState([]);
  const reload = () => unfinishedUploads().then(setUploads);
  useEffect(() => void reload(), [inList]);
  const hidden = new Set(inList.split('\n'));
  const shown = uploads.filter((u) => !hidden.has(fileKey(u.metadata?.filename, u.size)));
  if (!shown.length) return null;
  return (
    <div class="card unfinished">
      <h2>Unfinished uploads</h2>
      <p class="muted small">Choose the same file again to carry on where it stopped.</p>
      <ul>
        {shown.map((u) => (
          <li key={u.urlStorageKey}>
            {u.metadata?.filename || 'A file'} ({formatBytes(u.size)}){' '}
            <button type="button" class="link-button small"
              onClick={() => forgetUpload(u.urlStorageKey).then(reload)}>Forget</button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Upload() {
  usePageTitle('Upload');
  const uploads = useUploads();
  const [maxBytes, setMaxBytes] = useState(null);
  const [dragging, setDragging] = useState(false);
  useEffect(() => void fetchMaxUploadBytes().then(setMaxBytes), []);

  const busy = uploads.items.some((it) => it.status === 'uploading');
  useEffect(() => {
    if (!busy) return undefined;
    const warn = (e) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);

  const addFiles = (fileList) => uploads.add(Array.from(fileList || []), maxBytes);
  const pending = uploads.items.filter((it) => it.status === 'pending' && it.title.trim());
  const started = uploads.items.filter((it) => !['pending', 'refused'].includes(it.status))
    .map((it) => fileKey(it.file.name, it.file.size)).join('\n');

  const onDrop = (e) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer?.files);
  };

  return (
    <RequireUser>
      <section class="page">
        <h1>Upload videos</h1>
        <div class={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)} onDrop={onDrop}>
          <p>Drag and drop video files here, or</p>
          <label class="button" for="file-input">Choose files</label>
          <input id="file-input" class="visually-hidden" type="file" multiple
            accept="video/*,.mkv,.mov,.mp4,.webm,.avi,.m4v,.ts,.mts"
            onChange={(e) => { addFiles(e.currentTarget.files); e.currentTarget.value = ''; }} />
          <p class="muted small">
            Any common video format{maxBytes ? `, up to ${formatBytes(maxBytes)} each` : ''}.
            Uploads carry on after a dropped connection or a reload.
          </p>
        </div>
        <Unfinished inList={started} />
        {uploads.items.length > 0 && (
          <>
            <ul class="upload-list">
              {uploads.items.map((item) => (
                <UploadItem key={item.key} item={item}
                  onChange={(change) => uploads.change(item.key, change)}
                  onStart={() => uploads.start(item)}
                  onPause={() => uploads.pause(item.key)}
                  onResume={() => uploads.resume(item.key)}
                  onRemove={() => uploads.remove(item.key)} />
              ))}
            </ul>
            {pending.length > 1 && (
              <button type="button" class="button" onClick={() => pending.forEach(uploads.start)}>
                Upload all {pending.length}
              </button>
            )}
          </>
        )}
      </section>
    </RequireUser>
  );
}
