// The second step of signing in: a code from the authenticator app, a recovery code, or a code
// mailed on request.
import { useState } from 'preact/hooks';
import { completeMfa, sendMfaEmail } from '../../auth.js';
import { useAction } from '../../hooks.js';
import { ErrorMessage, Field } from '../Field.jsx';

const LABELS = {
  totp: ['Code from your authenticator app', 'Six digits.'],
  recovery: ['Recovery code', 'One of the codes you saved when you turned two-step sign-in on.'],
  email: ['Code from the email', 'Six digits; it works for 5 minutes.'],
};

export function MfaChallenge({ challenge, username, methods, onSignedIn }) {
  const [method, setMethod] = useState('totp');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(null);
  const submit = useAction();
  const mail = useAction();
  const [label, hint] = LABELS[method];

  const onSubmit = (e) => {
    e.preventDefault();
    submit.run(async () => {
      const trimmed = method === 'recovery' ? code.trim() : code.replace(/\s/g, '');
      onSignedIn(await completeMfa({ challenge, username, code: trimmed }));
    });
  };

  const emailMe = () =>
    mail.run(async () => {
      setSent((await sendMfaEmail(challenge)).message);
      setMethod('email');
      setCode('');
    });

  const choose = (next) => {
    setMethod(next);
    setCode('');
    submit.setError(null);
  };

  return (
    <form class="card form" onSubmit={onSubmit} aria-labelledby="mfa-title">
      <h2 id="mfa-title" class="visually-hidden">Second step</h2>
      {sent && <p class="alert success" role="status">{sent}</p>}
      <ErrorMessage error={submit.error || mail.error} />
      <Field key={method} label={label} hint={hint}>
        {(p) => (
          <input {...p} name="code" required autoFocus
            inputMode={method === 'recovery' ? 'text' : 'numeric'}
            autocomplete={method === 'recovery' ? 'off' : 'one-time-code'}
            value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" class="button" disabled={submit.busy}>
        {submit.busy ? 'Checking…' : 'Continue'}
      </button>
      <div class="other-ways">
        <p class="muted small">Other ways to sign in:</p>
        {method !== 'totp' && (
          <button type="button" class="link-button" onClick={() => choose('totp')}>
            Use my authenticator app
          </button>
        )}
        {method !== 'recovery' && (!methods || methods.includes('recovery')) && (
          <button type="button" class="link-button" onClick={() => choose('recovery')}>
            Use a recovery code
          </button>
        )}
        {(!methods || methods.includes('email')) && (
          <button type="button" class="link-button" onClick={emailMe} disabled={mail.busy}>
            {sent ? 'Email me another code' : 'Email me a code'}
          </button>
        )}
      </div>
    </form>
  );
}
