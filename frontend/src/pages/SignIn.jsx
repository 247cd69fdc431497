import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { completeMfa, signIn } from '../auth.js';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { usePageTitle } from '../hooks.js';

// Only local paths: never send someone off-site after signing in.
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignIn() {
  usePageTitle('Sign in');
  const { query, route } = useLocation();
  const [username, setUsername] = useState(query.username || '');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState(null); // set when a second factor is asked for
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onPassword = (e) => {
    e.preventDefault();
    run(async () => {
      const answer = await signIn({ username, password });
      if (answer.status === 'mfa_required') setChallenge(answer.session);
      else route(safeNext(query.next), true);
    });
  };

  const onCode = (e) => {
    e.preventDefault();
    run(async () => {
      await completeMfa({ challenge, username, code: code.replace(/\s/g, '') });
      route(safeNext(query.next), true);
    });
  };

  if (challenge) {
    return (
      <section class="page narrow">
        <h1>Two-step sign-in</h1>
        <form class="card form" onSubmit={onCode}>
          <ErrorMessage error={error} />
          <Field label="Code from your authenticator app" hint="Six digits, or a recovery code.">
            {(p) => (
              <input {...p} name="code" inputMode="numeric" autocomplete="one-time-code"
                required autoFocus value={code} onInput={(e) => setCode(e.currentTarget.value)} />
            )}
          </Field>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
        </form>
      </section>
    );
  }

  return (
    <section class="page narrow">
      <h1>Sign in</h1>
      <form class="card form" onSubmit={onPassword}>
        {query.registered && (
          <p class="alert success" role="status">
            Your account is ready. Sign in to start uploading.
          </p>
        )}
        <ErrorMessage error={error} />
        <Field label="Username or email">
          {(p) => (
            <input {...p} name="username" autocomplete="username" required value={username}
              onInput={(e) => setUsername(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Password">
          {(p) => (
            <input {...p} name="password" type="password" autocomplete="current-password" required
              value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted">
          New here? <a href="/signup">Create an account</a>
        </p>
      </form>
    </section>
  );
}
