// Forgotten password: ask for a code by email, then set a new password with it.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { forgotPassword, PASSWORD_MIN, resetPassword } from '../auth.js';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { useAction, usePageTitle } from '../hooks.js';

export function ResetPassword() {
  usePageTitle('Reset your password');
  const { route } = useLocation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const onAsk = (e) => {
    e.preventDefault();
    run(async () => setSent((await forgotPassword(email.trim())).message));
  };
  const onReset = (e) => {
    e.preventDefault();
    run(async () => {
      await resetPassword({ email: email.trim(), code: code.trim(), newPassword: password });
      route(`/signin?reset=1&username=${encodeURIComponent(email.trim())}`);
    });
  };

  return (
    <section class="page narrow">
      <h1>Reset your password</h1>
      {!sent ? (
        <form class="card form" onSubmit={onAsk}>
          <p>Enter your account's email. We send you a code to set a new password.</p>
          <ErrorMessage error={error} />
          <Field label="Email">
            {(p) => (
              <input {...p} name="email" type="email" autocomplete="email" required value={email}
                onInput={(e) => setEmail(e.currentTarget.value)} />
            )}
          </Field>
          <button type="submit" class="button" disabled={busy}>Email me a code</button>
          <p class="muted"><a href="/signin">Back to sign in</a></p>
        </form>
      ) : (
        <form class="card form" onSubmit={onReset}>
          <p class="alert success" role="status">{sent}</p>
          <ErrorMessage error={error} />
          <Field label="Code from the email">
            {(p) => (
              <input {...p} name="code" inputMode="numeric" autocomplete="one-time-code" required
                autoFocus value={code} onInput={(e) => setCode(e.currentTarget.value)} />
            )}
          </Field>
          <Field label="New password" hint={`At least ${PASSWORD_MIN} characters.`}>
            {(p) => (
              <input {...p} name="new-password" type="password" autocomplete="new-password"
                required minLength={PASSWORD_MIN} value={password}
                onInput={(e) => setPassword(e.currentTarget.value)} />
            )}
          </Field>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Saving…' : 'Set the new password'}
          </button>
          <p class="muted">
            <button type="button" class="link-button" onClick={() => setSent(null)}>
              Use another email or send a new code
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
