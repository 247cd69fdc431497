// One of my videos: live processing state, and what I can do with it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { describeJob, formatDate, formatViews, VIDEO_STATUS_WORDS } from '../format.js';
import { cancelJob, retryJob, TERMINAL, useJob } from '../jobs.js';
import { ConfirmDialog } from './ConfirmDialog.jsx';
import { CopyLink } from './CopyLink.jsx';
import { EditVideo } from './EditVideo.jsx';
import { Thumbnail } from './VideoCard.jsx';
import { VisibilityBadge } from './VisibilityBadge.jsx';

function statusText(video, job) {
  if (job) return describeJob(job);
  if (video.status === 'failed') return `Processing failed: ${video.error || 'no reason was given.'}`;
  return VIDEO_STATUS_WORDS[video.status] || video.status;
}

export function MyVideoRow({ video, onChanged, onDeleted }) {
  const active = !TERMINAL.has(video.status);
  const job = useJob(active ? video.jobId : null);
  const [editing, setEditing] = useState(false);
  // A replaced picture keeps its URL: a version query (ignored by the server) skips the cache.
  const [pictureVersion, setPictureVersion] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState(null);
  const status = job?.status || video.status;

  // When the job ends, fetch the list again for the thumbnail, duration and final status. (Rows
  // are keyed by status, so this ends: a row whose status is unchanged is not followed again.)
  useEffect(() => {
    if (job && TERMINAL.has(job.status)) onChanged();
  }, [job?.status]);

  const act = async (action) => {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err.message);
    }
  };

  return (
    <li class="card my-video" data-video-id={video.id} data-status={status}>
      <a href={`/watch/${video.id}`} class="my-video-thumb" tabIndex={-1} aria-hidden="true">
        <Thumbnail video={pictureVersion && video.thumbnailUrl
          ? { ...video, thumbnailUrl: `${video.thumbnailUrl}?v=${pictureVersion}` } : video} />
      </a>
      <div class="my-video-body">
        {editing ? (
          <EditVideo video={video} onCancel={() => setEditing(false)}
            onSaved={() => { setEditing(false); onChanged(); }} onPictureChanged={() => { setPictureVersion(Date.now()); onChanged(); }} />
        ) : (
          <>
            <h2 class="video-title"><a href={`/watch/${video.id}`}>{video.title}</a></h2>
            <p class="muted small">
              {formatViews(video.views)} ·{' '}
              <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
              <VisibilityBadge visibility={video.visibility} />
            </p>
            <p class={`status status-${status}`} role="status" aria-live="polite">
              {statusText(video, job)}
            </p>
            {job && job.status === 'processing' && (
              <progress max="100" value={job.progress} aria-label={`Processing ${video.title}`} />
            )}
          </>
        )}
        {error && <p class="alert error" role="alert">{error}</p>}
        {!editing && (
          <div class="actions">
            <CopyLink path={video.shareUrl || `/watch/${video.id}`} label="Copy link" />
            <button type="button" class="button secondary small" onClick={() => setEditing(true)}>
              Edit
            </button>
            {(status === 'failed' || status === 'cancelled') && video.jobId && (
              <button type="button" class="button small"
                onClick={() => act(async () => { await retryJob(video.jobId); onChanged(); })}>
                Retry
              </button>
            )}
            {(status === 'queued' || status === 'processing') && video.jobId && (
              <button type="button" class="button secondary small"
                onClick={() => act(async () => { await cancelJob(video.jobId); onChanged(); })}>
                Cancel processing
              </button>
            )}
            <button type="button" class="button danger small" onClick={() => setConfirming(true)}>
              Delete
            </button>
          </div>
        )}
      </div>
      <ConfirmDialog open={confirming} title={`Delete “${video.title}”?`} confirmLabel="Delete"
        onCancel={() => setConfirming(false)}
        onConfirm={() => act(async () => {
          await api(`/api/gallery/videos/${video.id}`, { method: 'DELETE' });
          setConfirming(false);
          onDeleted();
        })}>
        <p>The video and all its files are removed for good. This cannot be undone.</p>
      </ConfirmDialog>
    </li>
  );
}
