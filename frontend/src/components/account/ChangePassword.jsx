// Change the password: every other device is signed out, this one stays signed in.
import { useState } from 'preact/hooks';
import { changePassword, PASSWORD_MIN } from '../../auth.js';
import { useAction } from '../../hooks.js';
import { ErrorMessage, Field } from '../Field.jsx';

export function ChangePassword({ onChanged }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();

  const onSubmit = (e) => {
    e.preventDefault();
    setDone(false);
    run(async () => {
      await changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setDone(true);
      onChanged?.();
    });
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form class="form" onSubmit={onSubmit}>
        {done && (
          <p class="alert success" role="status">
            Your password is changed. Other devices were signed out.
          </p>
        )}
        <ErrorMessage error={error} />
        <Field label="Current password">
          {(p) => <input {...p} name="current-password" type="password" required
            autocomplete="current-password" value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)} />}
        </Field>
        <Field label="New password" hint={`At least ${PASSWORD_MIN} characters.`}>
          {(p) => <input {...p} name="new-password" type="password" required
            autocomplete="new-password" minLength={PASSWORD_MIN} value={next}
            onInput={(e) => setNext(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="button secondary" disabled={busy}>Change password</button>
      </form>
    </section>
  );
}
