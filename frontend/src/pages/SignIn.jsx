// Signing in: the password, then (when the account has one) the second step, or the set-up of
// an authenticator when an administrator requires two-step sign-in. When the deployment has an
// identity provider (Cognito or OIDC), a "Sign in with …" button goes there instead (oidc.js).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.js';
import { signIn } from '../auth.js';
import { MfaChallenge } from '../components/account/MfaChallenge.jsx';
import { RecoveryCodes } from '../components/account/RecoveryCodes.jsx';
import { TotpEnrol } from '../components/account/TotpEnrol.jsx';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { useAction, useLoader, usePageTitle } from '../hooks.js';
import { startSignIn } from '../oidc.js';
import { useUser } from '../session.js';

// Only local paths: never send someone off-site after signing in.
export function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function Unconfirmed({ error, login }) {
  const email = login.includes('@') ? login : '';
  return (
    <div class="alert error" role="alert">
      <p>{error.message}</p>
      <p><a href={`/signup/confirm?email=${encodeURIComponent(email)}`}>Enter the code</a></p>
    </div>
  );
}

// "Sign in with …" for each identity provider the deployment offers (usually none or one).
function ProviderButtons({ next }) {
  const options = useLoader((signal) => api('/api/auth/providers', { signal }), []);
  const { busy, error, run } = useAction();
  const providers = options.data?.providers || [];
  if (options.error) {
    return <p class="alert error" role="alert">{options.error.message}</p>;
  }
  if (!providers.length) return null;
  return (
    <div class="card providers">
      <ErrorMessage error={error} />
      {providers.map((provider) => (
        <button key={provider.id} type="button" class="button" disabled={busy}
          onClick={() => run(() => startSignIn(provider, safeNext(next)))}>
          {provider.label}
        </button>
      ))}
      <p class="muted">or with a VideoForge account:</p>
    </div>
  );
}

export function SignIn() {
  const { query, route } = useLocation();
  const [username, setUsername] = useState(query.username || '');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState(null); // the login answer when a further step is needed
  const [codes, setCodes] = useState(null); // recovery codes from a forced enrolment
  const { busy, error, run } = useAction();
  const done = () => route(safeNext(query.next), true);
  usePageTitle(step ? 'Two-step sign-in' : 'Sign in');
  // Someone already signed in has nothing to do here (checked on arrival only: signing in
  // here may still have steps to show, such as recovery codes).
  const user = useUser();
  const [signedInOnArrival] = useState(Boolean(user));
  useEffect(() => {
    if (signedInOnArrival) done();
  }, []);
  // The green note from the page before ("email confirmed") goes with the first attempt, so it
  // never stands above a red error.
  const [tried, setTried] = useState(false);

  const onPassword = (e) => {
    e.preventDefault();
    setTried(true);
    run(async () => {
      const answer = await signIn({ username, password });
      if (answer.status === 'authenticated') done();
      else setStep(answer);
    });
  };

  if (signedInOnArrival) return null;
  if (codes) {
    return (
      <section class="page narrow">
        <h1>Two-step sign-in is on</h1>
        <div class="card"><RecoveryCodes codes={codes} onDone={done} doneLabel="Continue" /></div>
      </section>
    );
  }
  if (step?.status === 'mfa_required') {
    return (
      <section class="page narrow">
        <h1>Two-step sign-in</h1>
        <p>Your account has two-step sign-in on. Enter a code to finish signing in.</p>
        <MfaChallenge challenge={step.session} username={username} methods={step.methods}
          onSignedIn={done} />
      </section>
    );
  }
  if (step?.status === 'mfa_enrolment_required') {
    return (
      <section class="page narrow">
        <h1>Set up two-step sign-in</h1>
        <p>Your administrator requires two-step sign-in. Set it up now to finish signing in.</p>
        <div class="card">
          <TotpEnrol enrolment={step.session} onEnrolled={(answer) => setCodes(answer.recoveryCodes)} />
        </div>
      </section>
    );
  }

  return (
    <section class="page narrow">
      <h1>Sign in</h1>
      <ProviderButtons next={query.next} />
      <form class="card form" onSubmit={onPassword}>
        {query.confirmed && !tried && (
          <p class="alert success" role="status">Your email is confirmed. Sign in to start.</p>
        )}
        {query.reset && !tried && (
          <p class="alert success" role="status">Your password is changed. Sign in with it.</p>
        )}
        {error?.code === 'email_not_confirmed' ? (
          <Unconfirmed error={error} login={username} />
        ) : (
          <ErrorMessage error={error} />
        )}
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
          <a href="/signin/reset">Forgot your password?</a>
          <br />
          New here? <a href="/signup">Create an account</a>
        </p>
      </form>
    </section>
  );
}
