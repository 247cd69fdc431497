// Two-step sign-in on the account page: its state, turning it on (TotpEnrol), new recovery
// codes, and turning it off with the password and a code.
import { useState } from 'preact/hooks';
import { disableMfa, mfaStatus, newRecoveryCodes } from '../../auth.js';
import { useAction, useLoader } from '../../hooks.js';
import { ErrorMessage, Field } from '../Field.jsx';
import { RecoveryCodes } from './RecoveryCodes.jsx';
import { TotpEnrol } from './TotpEnrol.jsx';

function CodeForm({ withPassword, submitLabel, danger, onSubmit, onCancel }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e) => {
    e.preventDefault();
    run(() => onSubmit({ password, code: code.trim() }));
  };
  return (
    <form class="form" onSubmit={submit}>
      <ErrorMessage error={error} />
      {withPassword && (
        <Field label="Password">
          {(p) => <input {...p} name="password" type="password" required
            autocomplete="current-password" value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
      )}
      <Field label="Code from your authenticator app" hint="Or one of your recovery codes.">
        {(p) => <input {...p} name="code" required autocomplete="one-time-code" value={code}
          onInput={(e) => setCode(e.currentTarget.value)} />}
      </Field>
      <div class="actions">
        <button type="submit" class={`button small${danger ? ' danger' : ''}`} disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button secondary small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function MfaSettings() {
  const { data: status, error, reload } = useLoader(() => mfaStatus(), []);
  const [mode, setMode] = useState(null); // null | 'enrol' | 'regenerate' | 'disable'
  const [codes, setCodes] = useState(null);
  const [notice, setNotice] = useState(null);
  const finish = () => {
    setMode(null);
    setCodes(null);
    reload();
  };

  let body;
  if (codes) {
    body = <RecoveryCodes codes={codes} onDone={finish} />;
  } else if (mode === 'enrol') {
    body = <TotpEnrol onEnrolled={(answer) => setCodes(answer.recoveryCodes)} />;
  } else if (mode === 'regenerate') {
    body = (
      <CodeForm submitLabel="Make new codes" onCancel={() => setMode(null)}
        onSubmit={async ({ code }) => setCodes((await newRecoveryCodes(code)).recoveryCodes)} />
    );
  } else if (mode === 'disable') {
    body = (
      <CodeForm withPassword danger submitLabel="Turn off two-step sign-in"
        onCancel={() => setMode(null)}
        onSubmit={async (form) => {
          setNotice((await disableMfa(form)).message);
          finish();
        }} />
    );
  } else if (status?.totpEnabled) {
    body = (
      <>
        <p>
          <strong>On.</strong> Signing in asks for a code from your authenticator app.{' '}
          {status.recoveryCodesLeft} of 10 recovery codes left.
        </p>
        {status.required && <p class="muted small">Your administrator requires it.</p>}
        <div class="actions">
          <button type="button" class="button secondary small" onClick={() => setMode('regenerate')}>
            New recovery codes
          </button>
          {!status.required && (
            <button type="button" class="button danger small" onClick={() => setMode('disable')}>
              Turn off
            </button>
          )}
        </div>
      </>
    );
  } else if (status) {
    body = (
      <>
        <p>
          <strong>Off.</strong> Protect your account with a code from an authenticator app each
          time you sign in.
        </p>
        <button type="button" class="button small" onClick={() => { setNotice(null); setMode('enrol'); }}>
          Set up two-step sign-in
        </button>
      </>
    );
  }

  return (
    <section class="card" aria-labelledby="mfa-settings-title" data-mfa={status?.totpEnabled ? 'on' : 'off'}>
      <h2 id="mfa-settings-title">Two-step sign-in</h2>
      {notice && !mode && <p class="alert success" role="status">{notice}</p>}
      <ErrorMessage error={error} />
      {body}
    </section>
  );
}
