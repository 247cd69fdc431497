// "Enter the code we emailed": confirms a new account's address, with a way to get a new code.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { confirmEmail, resendConfirmation } from '../auth.js';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { useAction, usePageTitle } from '../hooks.js';

export function ConfirmEmail() {
  usePageTitle('Confirm your email');
  const { query, route } = useLocation();
  const [email, setEmail] = useState(query.email || '');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(null);
  const confirm = useAction();
  const resend = useAction();

  const onSubmit = (e) => {
    e.preventDefault();
    confirm.run(async () => {
      await confirmEmail({ email: email.trim(), code: code.replace(/\s/g, '') });
      const who = query.username || email.trim();
      route(`/signin?confirmed=1&username=${encodeURIComponent(who)}`);
    });
  };

  const onResend = () =>
    resend.run(async () => {
      if (!email.trim()) throw new Error('Enter your email address first.');
      setResent((await resendConfirmation(email.trim())).message);
    });

  return (
    <section class="page narrow">
      <h1>Enter the code we emailed</h1>
      <form class="card form" onSubmit={onSubmit}>
        <p>
          We sent a six-digit code to {query.email ? <strong>{query.email}</strong> : 'your email'}.
          Enter it here to finish creating your account. It works for 24 hours.
        </p>
        {resent && <p class="alert success" role="status">{resent}</p>}
        <ErrorMessage error={confirm.error || resend.error} />
        <Field label="Email">
          {(p) => (
            <input {...p} name="email" type="email" autocomplete="email" required value={email}
              onInput={(e) => setEmail(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Confirmation code">
          {(p) => (
            <input {...p} name="code" inputMode="numeric" autocomplete="one-time-code" required
              autoFocus value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="button" disabled={confirm.busy}>
          {confirm.busy ? 'Checking…' : 'Confirm'}
        </button>
        <p class="muted">
          No email?{' '}
          <button type="button" class="link-button" onClick={onResend} disabled={resend.busy}>
            Send a new code
          </button>
        </p>
      </form>
    </section>
  );
}
