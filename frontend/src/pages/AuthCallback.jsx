// Where an identity provider sends the browser back after signing in (/auth/callback): finish
// the sign-in (oidc.js), then go where the person was headed; or say what went wrong.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { usePageTitle } from '../hooks.js';
import { finishSignIn } from '../oidc.js';
import { safeNext } from './SignIn.jsx';

export function AuthCallback() {
  const { query, route } = useLocation();
  const [error, setError] = useState(null);
  usePageTitle(error ? 'Sign-in failed' : 'Signing in');

  useEffect(() => {
    finishSignIn(query)
      .then((next) => route(safeNext(next), true))
      .catch((err) => setError(err));
  }, []); // once: the pending sign-in is used up by the first try

  if (!error) {
    return (
      <section class="page narrow">
        <h1>Signing you in…</h1>
        <p class="muted" role="status">Finishing the sign-in with your identity provider.</p>
      </section>
    );
  }
  return (
    <section class="page narrow">
      <h1>Sign-in failed</h1>
      <p class="alert error" role="alert">{error.message}</p>
      <p><a href="/signin">Back to sign in</a></p>
    </section>
  );
}
