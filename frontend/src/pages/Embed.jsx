// /embed/{id}: the player alone, for other sites' iframes (the server lets any site frame this
// page only). Public and unlisted videos play; a private one is unavailable here, even to its
// owner, since an embed is for everyone who sees the page around it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Player } from '../components/player/Player.jsx';
import { useLoader, usePageTitle } from '../hooks.js';

const UNAVAILABLE = 'This video is unavailable.';

function Message({ text }) {
  return <div class="player placeholder embed-message" role="status"><p>{text}</p></div>;
}

export function Embed({ id }) {
  const { data: video, error } = useLoader(
    (signal) => api(`/api/gallery/videos/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const shareable = video && video.visibility !== 'private';
  const [stream, setStream] = useState({ answer: null, error: null });
  useEffect(() => {
    if (!shareable) return undefined;
    const controller = new AbortController();
    api(`/api/stream/${encodeURIComponent(id)}`, { signal: controller.signal }).then(
      (answer) => setStream({ answer, error: null }),
      (err) => !controller.signal.aborted && setStream({ answer: null, error: err }),
    );
    return () => controller.abort();
  }, [id, shareable]);
  usePageTitle(shareable ? video.title : null);

  let body;
  if (error || (video && !shareable)) body = <Message text={UNAVAILABLE} />;
  else if (stream.error) body = <Message text={stream.error.code === 'not_ready' ? stream.error.message : UNAVAILABLE} />;
  else if (!stream.answer) body = <Message text="Loading…" />;
  else {
    body = (
      <Player videoId={id} stream={stream.answer} title={video.title}
        poster={stream.answer.posterUrl || video.posterUrl} storyboardUrl={video.storyboardUrl} />
    );
  }
  return (
    <main class="embed" id="main">
      <h1 class="visually-hidden">{shareable ? video.title : 'Embedded video'}</h1>
      {body}
      {shareable && (
        <a class="embed-link" href={`/watch/${id}`} target="_blank" rel="noopener">
          Watch on VideoForge
        </a>
      )}
    </main>
  );
}
