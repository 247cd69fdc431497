import { useState } from 'preact/hooks';
import { formatDate, formatDuration, formatViews, VIDEO_STATUS_WORDS } from '../format.js';
import { ChannelLink } from './ChannelLink.jsx';
import { VisibilityBadge } from './VisibilityBadge.jsx';

const calm = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

// The still thumbnail; with `animated`, the short animated preview over it (when the video has
// one: a missing preview just leaves the still picture).
export function Thumbnail({ video, animated = false }) {
  const [noPreview, setNoPreview] = useState(false);
  const preview = animated && video.previewUrl && !noPreview && !calm();
  return (
    <div class="thumb">
      {video.thumbnailUrl ? (
        <img src={video.thumbnailUrl} alt="" loading="lazy" width="320" height="180" />
      ) : (
        <div class="thumb-placeholder" aria-hidden="true">
          {video.status === 'ready' ? '▶' : '…'}
        </div>
      )}
      {preview && (
        <img class="thumb-preview" src={video.previewUrl} alt="" width="320" height="180"
          onError={() => setNoPreview(true)} />
      )}
      {video.duration ? <span class="badge duration">{formatDuration(video.duration)}</span> : null}
    </div>
  );
}

export function VideoCard({ video }) {
  const [active, setActive] = useState(false);
  const on = () => setActive(true);
  const off = () => setActive(false);
  return (
    <li class="video-card" onMouseEnter={on} onMouseLeave={off} onFocusIn={on} onFocusOut={off}>
      <a href={`/watch/${video.id}`} class="card-link">
        <Thumbnail video={video} animated={active} />
        <h2 class="video-title">{video.title}</h2>
      </a>
      <p class="muted small">
        {video.owner && <><ChannelLink username={video.owner} />{' · '}</>}
        {video.status === 'ready' ? formatViews(video.views) : VIDEO_STATUS_WORDS[video.status]}
        {' · '}
        <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
        <VisibilityBadge visibility={video.visibility} />
      </p>
    </li>
  );
}
