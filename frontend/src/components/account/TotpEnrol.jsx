// Setting up an authenticator app: a QR code and the secret to type in, then a first code to
// prove it works; the answer's recovery codes are handed to onEnrolled. `enrolment` is the
// session of a sign-in that must enrol first (an administrator requires it).
import { useEffect, useState } from 'preact/hooks';
import { confirmTotp, startTotpSetup } from '../../auth.js';
import { useAction } from '../../hooks.js';
import { ErrorMessage, Field } from '../Field.jsx';

// "JBSW Y3DP ..." is easier to type than one long run of letters.
const grouped = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

export function TotpEnrol({ enrolment, onEnrolled }) {
  const [setup, setSetup] = useState(null);
  const [code, setCode] = useState('');
  const start = useAction();
  const confirm = useAction();

  useEffect(() => {
    start.run(async () => setSetup(await startTotpSetup(enrolment)));
  }, [enrolment]);

  const onSubmit = (e) => {
    e.preventDefault();
    confirm.run(async () => {
      const answer = await confirmTotp({ code: code.replace(/\s/g, ''), enrolment });
      onEnrolled(answer);
    });
  };

  if (!setup) {
    return start.error ? <ErrorMessage error={start.error} /> : <p role="status">Preparing…</p>;
  }
  return (
    <form class="form totp-enrol" onSubmit={onSubmit}>
      <ol class="steps">
        <li>
          Scan this QR code with an authenticator app (such as Aegis, FreeOTP, Google
          Authenticator or 1Password).
          <img class="qr" src={setup.qrSvg} width="200" height="200"
            alt="QR code for your authenticator app" />
        </li>
        <li>
          Or type this key into the app:{' '}
          <code class="secret" data-testid="totp-secret" data-secret={setup.secret}>
            {grouped(setup.secret)}
          </code>
        </li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      <ErrorMessage error={confirm.error} />
      <Field label="Code from the app">
        {(p) => (
          <input {...p} name="code" inputMode="numeric" autocomplete="one-time-code" required
            pattern="[0-9 ]{6,7}" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" class="button" disabled={confirm.busy}>
        {confirm.busy ? 'Checking…' : 'Turn on two-step sign-in'}
      </button>
    </form>
  );
}
