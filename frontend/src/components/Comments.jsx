// A video's comments: newest first, replies (one level) under their comment; write, reply,
// edit and delete. Text stays text: only its web addresses become links (Linkified).
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDate } from '../format.js';
import { useLoader } from '../hooks.js';
import { useUser } from '../session.js';
import { Avatar, ChannelLink } from './ChannelLink.jsx';
import { ErrorMessage } from './Field.jsx';
import { Linkified } from './Linkified.jsx';

const PAGE_SIZE = 20;
const MAX_LENGTH = 2000;
let forms = 0;

function CommentForm({ label, initial = '', submitLabel, onSubmit, onCancel }) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const id = useMemo(() => `comment-text-${++forms}`, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(text);
      setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="comment-form" onSubmit={submit}>
      <label class="visually-hidden" for={id}>{label}</label>
      <textarea id={id} rows={2} maxLength={MAX_LENGTH} required value={text}
        placeholder={label} onInput={(e) => setText(e.currentTarget.value)} />
      <ErrorMessage error={error} />
      <div class="actions">
        <button type="submit" class="button small" disabled={busy || !text.trim()}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button secondary small" onClick={onCancel}>Cancel</button>
        )}
      </div>
    </form>
  );
}

function Comment({ comment, url, canReply, onChange }) {
  const user = useUser();
  const [mode, setMode] = useState(null); // 'edit' | 'reply'
  const [error, setError] = useState(null);
  const self = `${url}/${comment.id}`;
  const remove = async () => {
    if (!window.confirm('Delete this comment?')) return;
    try {
      await api(self, { method: 'DELETE' });
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const name = comment.author.displayName;
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <Avatar url={comment.author.avatarUrl} name={name} size={32} />
      <div class="comment-main">
        <p class="comment-head small">
          <ChannelLink username={comment.author.username}>{name}</ChannelLink>
          {' · '}
          <time class="muted" dateTime={comment.createdAt}>{formatDate(comment.createdAt)}</time>
          {comment.editedAt && <span class="muted"> (edited)</span>}
        </p>
        {mode === 'edit' ? (
          <CommentForm label={`Edit comment by ${name}`} initial={comment.body} submitLabel="Save"
            onCancel={() => setMode(null)}
            onSubmit={async (body) => {
              await api(self, { method: 'PATCH', json: { body } });
              setMode(null);
              onChange();
            }} />
        ) : (
          <p class="comment-body"><Linkified text={comment.body} /></p>
        )}
        <ErrorMessage error={error} />
        {mode !== 'edit' && (
          <div class="comment-actions">
            {canReply && user && (
              <button type="button" class="link-button small" onClick={() => setMode('reply')}>
                Reply<span class="visually-hidden"> to {name}</span>
              </button>
            )}
            {comment.canEdit && (
              <button type="button" class="link-button small" onClick={() => setMode('edit')}>
                Edit<span class="visually-hidden"> your comment</span>
              </button>
            )}
            {comment.canDelete && (
              <button type="button" class="link-button small" onClick={remove}>
                Delete<span class="visually-hidden"> comment by {name}</span>
              </button>
            )}
          </div>
        )}
        {mode === 'reply' && (
          <CommentForm label={`Reply to ${name}`} submitLabel="Reply"
            onCancel={() => setMode(null)}
            onSubmit={async (body) => {
              await api(url, { method: 'POST', json: { body, parentId: comment.id } });
              setMode(null);
              onChange();
            }} />
        )}
        {comment.replies.length > 0 && (
          <ul class="comment-list replies">
            {comment.replies.map((reply) => (
              <Comment key={reply.id} comment={reply} url={url} canReply={false}
                onChange={onChange} />
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

export function Comments({ videoId }) {
  const user = useUser();
  const [page, setPage] = useState(1);
  const url = `/api/gallery/videos/${encodeURIComponent(videoId)}/comments`;
  const { data, error, reload } = useLoader(
    (signal) => api(url, { query: { page, limit: PAGE_SIZE }, signal }),
    [videoId, page, user?.id],
  );
  if (error) return <ErrorMessage error={error} />;
  if (!data) return null;
  if (!data.commentsEnabled) {
    return (
      <section class="comments" aria-labelledby="comments-title">
        <h2 id="comments-title">Comments</h2>
        <p class="muted">Comments are turned off for this video.</p>
      </section>
    );
  }
  const { totalPages } = data.pagination;
  return (
    <section class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {data.count} {data.count === 1 ? 'comment' : 'comments'}
      </h2>
      {user ? (
        <CommentForm label="Add a comment" submitLabel="Comment"
          onSubmit={async (body) => {
            await api(url, { method: 'POST', json: { body } });
            setPage(1);
            reload();
          }} />
      ) : (
        <p class="muted">
          <a href={`/signin?next=/watch/${videoId}`}>Sign in</a> to comment.
        </p>
      )}
      <ul class="comment-list">
        {data.comments.map((comment) => (
          <Comment key={comment.id} comment={comment} url={url} canReply onChange={reload} />
        ))}
      </ul>
      {totalPages > 1 && (
        <nav class="pager" aria-label="Comment pages">
          <button type="button" class="link-button" disabled={page <= 1}
            onClick={() => setPage(page - 1)}>← Newer</button>
          <span>Page {page} of {totalPages}</span>
          <button type="button" class="link-button" disabled={page >= totalPages}
            onClick={() => setPage(page + 1)}>Older →</button>
        </nav>
      )}
    </section>
  );
}
