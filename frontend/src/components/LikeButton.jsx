// Like a video: a toggle button with the count; signed-out viewers see the count and a hint.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useUser } from '../session.js';

export function LikeButton({ videoId }) {
  const user = useUser();
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const url = `/api/gallery/videos/${encodeURIComponent(videoId)}`;
  useEffect(() => {
    api(`${url}/likes`).then(setState).catch(setError);
  }, [videoId, user?.id]);
  if (!state) return null;
  const label = `${state.likes} ${state.likes === 1 ? 'like' : 'likes'}`;
  if (!user) {
    return <span class="like-count" data-testid="likes">♥ {label}</span>;
  }
  const toggle = async () => {
    setError(null);
    try {
      setState(await api(`${url}/like`, { method: state.liked ? 'DELETE' : 'PUT' }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <button type="button" class={`button small${state.liked ? '' : ' secondary'}`}
        aria-pressed={state.liked ? 'true' : 'false'} onClick={toggle} data-testid="likes">
       ♥ Like · {label}
      </button>
      {error && <span class="error-text small" role="alert">{error.message}</span>}
    </>
  );
}
