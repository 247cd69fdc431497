// The watch page: the player, the video's facts, and what to say while it is not playable yet.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { CopyLink } from '../components/CopyLink.jsx';
import { DownloadButton } from '../components/DownloadButton.jsx';
import { ErrorMessage } from '../components/Field.jsx';
import { Player } from '../components/Player.jsx';
import { describeJob, formatDate, formatViews } from '../format.js';
import { useLoader, usePageTitle } from '../hooks.js';
import { TERMINAL, useJob } from '../jobs.js';
import { useUser } from '../session.js';

const POLL_MS = 3000;

// The stream answer, asked again every few seconds while the video is not playable yet.
function useStream(videoId, enabled) {
  const [state, setState] = useState({ stream: null, waiting: null, error: null });
  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    let timer = null;
    const ask = async () => {
      try {
        const stream = await api(`/api/stream/${videoId}`, { signal: controller.signal });
        if (stream.playable) return setState({ stream, waiting: null, error: null });
        setState({ stream: null, waiting: 'This video is still being processed.', error: null });
      } catch (err) {
        if (controller.signal.aborted) return;
        if (err.code === 'not_ready') setState({ stream: null, waiting: err.message, error: null });
        else return setState({ stream: null, waiting: null, error: err });
      }
      timer = setTimeout(ask, POLL_MS);
    };
    ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [videoId, enabled]);
  return state;
}

function Processing({ video, message }) {
  const live = video.canEdit && video.jobId && !TERMINAL.has(video.status);
  const job = useJob(live ? video.jobId : null);
  return (
    <div class="player placeholder" role="status">
      <p>{message}</p>
      {job && <p class="muted">{describeJob(job)}</p>}
      {job?.status === 'processing' && (
        <progress max="100" value={job.progress} aria-label="Processing progress" />
      )}
      <p class="muted small">Playback starts here as soon as the first quality is ready.</p>
    </div>
  );
}

export function Watch({ id }) {
  const user = useUser();
  // Fetching the video counts a view, so it is asked once per visit.
  const { data: video, error } = useLoader(
    (signal) => api(`/api/gallery/videos/${encodeURIComponent(id)}`, { signal }),
    [id, user?.id],
  );
  usePageTitle(video ? video.title : error ? 'Video not found' : null);
  const { stream, waiting, error: streamError } = useStream(id, Boolean(video));

  if (error) {
    const missing = error.status === 404 || error.status === 403;
    return (
      <section class="page narrow">
        <h1>{missing ? 'Video not found' : 'Cannot show this video'}</h1>
        {missing ? (
          <p class="alert" role="alert">
            This video was not found, or it is private.
            {!user && <> If it is yours, <a href={`/signin?next=/watch/${id}`}>sign in</a> to see it.</>}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        <p><a href="/">Back to the gallery</a></p>
      </section>
    );
  }
  if (!video) return <p class="page muted" role="status">Loading…</p>;

  return (
    <section class="page watch">
      {stream ? (
        <Player videoId={id} stream={stream} title={video.title}
          poster={stream.posterUrl || video.posterUrl} storyboardUrl={video.storyboardUrl} />
      ) : streamError ? (
        <div class="player placeholder"><ErrorMessage error={streamError} /></div>
      ) : (
        <Processing video={video} message={waiting || 'Loading the player…'} />
      )}
      <div class="watch-info">
        <h1>{video.title}</h1>
        <p class="muted">
          {video.owner && <span>{video.owner} · </span>}
          <span data-testid="views">{formatViews(video.views)}</span>
          {' · '}
          <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
          {video.visibility !== 'public' && <span class="badge">{video.visibility}</span>}
        </p>
        <div class="actions">
          <CopyLink path={video.shareUrl || `/watch/${video.id}`} />
          <DownloadButton downloadUrl={video.downloadUrl} title={video.title} />
          {video.canEdit && <a class="button secondary small" href="/me/videos">Manage my videos</a>}
        </div>
        {video.description && <p class="description">{video.description}</p>}
      </div>
    </section>
  );
}
