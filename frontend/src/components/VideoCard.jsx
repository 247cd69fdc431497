import { formatDate, formatDuration, formatViews, VIDEO_STATUS_WORDS } from '../format.js';

export function Thumbnail({ video }) {
  return (
    <div class="thumb">
      {video.thumbnailUrl ? (
        <img src={video.thumbnailUrl} alt="" loading="lazy" width="320" height="180" />
      ) : (
        <div class="thumb-placeholder" aria-hidden="true">
          {video.status === 'ready' ? '▶' : '…'}
        </div>
      )}
      {video.duration ? <span class="badge duration">{formatDuration(video.duration)}</span> : null}
    </div>
  );
}

export function VideoCard({ video }) {
  return (
    <li class="video-card">
      <a href={`/watch/${video.id}`} class="card-link">
        <Thumbnail video={video} />
        <h2 class="video-title">{video.title}</h2>
      </a>
      <p class="muted small">
        {video.owner && <span>{video.owner} · </span>}
        {video.status === 'ready' ? formatViews(video.views) : VIDEO_STATUS_WORDS[video.status]}
        {' · '}
        <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
      </p>
    </li>
  );
}
