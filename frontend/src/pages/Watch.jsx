// The watch page: the player, the video's facts, and what to say while it is not playable yet.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { ChannelLink } from '../components/ChannelLink.jsx';
import { Comments } from '../components/Comments.jsx';
import { CopyLink } from '../components/CopyLink.jsx';
import { DownloadButton } from '../components/DownloadButton.jsx';
import { ErrorMessage } from '../components/Field.jsx';
import { Linkified } from '../components/Linkified.jsx';
import { LikeButton } from '../components/LikeButton.jsx';
import { PlaylistPanel } from '../components/PlaylistPanel.jsx';
import { SaveToPlaylist } from '../components/SaveToPlaylist.jsx';
import { Player } from '../components/player/Player.jsx';
import { accountResume, browserResume } from '../components/player/resume.js';
import { linkAtTime, parseStartTime } from '../components/player/startTime.js';
import { VisibilityBadge } from '../components/VisibilityBadge.jsx';
import { describeJob, formatDate, formatViews } from '../format.js';
import { useLoader, usePageTitle } from '../hooks.js';
import { TERMINAL, useJob } from '../jobs.js';
import { useUser } from '../session.js';

const POLL_MS = 3000;
const THEATRE_KEY = 'vf.theatre';

// Theatre mode (the player as wide as the page), remembered in this browser as YouTube does.
function useTheatre() {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(THEATRE_KEY) === '1';
    } catch {
      return false;
    }
  });
  const toggle = () =>
    setOn((was) => {
      try {
        localStorage.setItem(THEATRE_KEY, was ? '0' : '1');
      } catch {
        // storage disabled: theatre mode lasts for this page
      }
      return !was;
    });
  return [on, toggle];
}

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

// A fresh page for each video: nothing of the one before (stream, player, countdown) lingers
// when a playlist moves on to the next.
export function Watch({ id }) {
  return <WatchVideo key={id} id={id} />;
}

function WatchVideo({ id }) {
  const user = useUser();
  const { query } = useLocation();
  const [startAt] = useState(() => parseStartTime(query.t));
  const [theatre, toggleTheatre] = useTheatre();
  const videoRef = useRef(null);
  // Signed in, where a video was left is kept with the account (any device); else in this browser.
  const resumeStore = useMemo(() => (user ? accountResume(api) : browserResume), [user?.id]);
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
  const sharePath = video.shareUrl || `/watch/${video.id}`;
  const listId = query.list || null;

  return (
    <section class={`page watch${theatre ? ' theatre' : ''}${listId ? ' with-list' : ''}`}>
      {stream ? (
        <Player videoId={id} stream={stream} title={video.title} videoRef={videoRef}
          poster={stream.posterUrl || video.posterUrl} storyboardUrl={video.storyboardUrl}
          theatre={theatre} onTheatre={toggleTheatre} startAt={startAt}
          resumeStore={resumeStore} />
      ) : streamError ? (
        <div class="player placeholder"><ErrorMessage error={streamError} /></div>
      ) : (
        <Processing video={video} message={waiting || 'Loading the player…'} />
      )}
      {listId && (
        <PlaylistPanel listId={listId} videoId={video.id} videoRef={videoRef}
          ready={Boolean(stream)} />
      )}
      <div class="watch-info">
        <h1>{video.title}</h1>
        <p class="muted">
          {video.owner && <><ChannelLink username={video.owner} />{' · '}</>}
          <span data-testid="views">{formatViews(video.views)}</span>
          {' · '}
          <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
          <VisibilityBadge visibility={video.visibility} />
        </p>
        <div class="actions">
          <LikeButton videoId={video.id} />
          <CopyLink path={sharePath} />
          {stream && (
            <CopyLink label="Copy link at current time"
              path={() => linkAtTime(sharePath, videoRef.current?.currentTime ?? 0)} />
          )}
          <DownloadButton downloadUrl={video.downloadUrl} title={video.title} />
          {user && <SaveToPlaylist videoId={video.id} />}
          {video.canEdit && <a class="button secondary small" href="/me/videos">Manage my videos</a>}
        </div>
        {video.description && (
          <p class="description"><Linkified text={video.description} /></p>
        )}
        <Comments videoId={video.id} />
      </div>
    </section>
  );
}
