// A playlist's entries in order: thumbnail and title linking to the video played as part of
// the list, the playing one marked; with `onMove`/`onRemove`, its owner's move up/down and
// remove buttons (plain buttons, so the order can be changed by keyboard).
import { ChannelLink } from './ChannelLink.jsx';
import { Thumbnail } from './VideoCard.jsx';
import { VisibilityBadge } from './VisibilityBadge.jsx';
import { watchInList } from '../playlists.js';

export function PlaylistEntries({ playlist, currentId = null, onMove, onRemove, busy = false }) {
  const { entries } = playlist;
  return (
    <ol class="playlist-entries">
      {entries.map((entry, index) => {
        const { video } = entry;
        const current = video.id === currentId;
        return (
          <li key={entry.id} class={`playlist-entry${current ? ' current' : ''}`}>
            <a href={watchInList(video.id, playlist.id)} class="playlist-entry-link"
              aria-current={current ? 'true' : undefined}>
              <span class="playlist-index" aria-hidden="true">{current ? '▶' : index + 1}</span>
              <Thumbnail video={video} />
              <span class="playlist-entry-title">{video.title}</span>
            </a>
            <span class="muted small">
              {video.owner && <ChannelLink username={video.owner} />}
              <VisibilityBadge visibility={video.visibility} />
            </span>
            {onMove && (
              <span class="entry-actions">
                <button type="button" class="button secondary small" disabled={busy || index === 0}
                  aria-label={`Move "${video.title}" up`}
                  onClick={() => onMove(entry, entries[index - 1].position)}>
                  Up
                </button>
                <button type="button" class="button secondary small"
                  disabled={busy || index === entries.length - 1}
                  aria-label={`Move "${video.title}" down`}
                  onClick={() => onMove(entry, entries[index + 1].position)}>
                  Down
                </button>
                <button type="button" class="button secondary small" disabled={busy}
                  aria-label={`Remove "${video.title}" from the playlist`}
                  onClick={() => onRemove(entry)}>
                  Remove
                </button>
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
