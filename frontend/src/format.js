// Numbers for people: durations, sizes, speeds, dates, job states.

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  // Binary steps (as file managers count), so a 10 GiB limit reads "10 GB".
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 && unit ? 1 : 0)} ${units[unit]}`;
}

export function formatTimeLeft(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 60) return `${Math.round(seconds)} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

export function formatViews(views) {
  return `${views ?? 0} ${views === 1 ? 'view' : 'views'}`;
}

// The date and the time of day, in the reader's own locale and time zone.
export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

// A job's state in plain words.
export function describeJob(job) {
  if (!job) return '';
  switch (job.status) {
    case 'queued':
      return job.attempts > 0 ? 'Waiting to try again' : 'Waiting to be processed';
    case 'processing': {
      const left = job.etaSeconds ? `, ${formatTimeLeft(job.etaSeconds)}` : '';
      return `Processing: ${Math.floor(job.progress || 0)}%${left}`;
    }
    case 'ready':
      return 'Ready to watch';
    case 'failed':
      return `Processing failed: ${job.error || 'no reason was given.'}`;
    case 'cancelled':
      return 'Processing was cancelled';
    default:
      return job.status;
  }
}

export const VIDEO_STATUS_WORDS = {
  uploaded: 'Uploaded, waiting to be processed',
  queued: 'Waiting to be processed',
  processing: 'Processing',
  ready: 'Ready to watch',
  failed: 'Processing failed',
  cancelled: 'Processing was cancelled',
};

export const VISIBILITY_WORDS = {
  public: 'Public: listed in the gallery',
  unlisted: 'Unlisted: anyone with the link',
  private: 'Private: only you',
};
