import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { register } from '../auth.js';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { usePageTitle } from '../hooks.js';

export function SignUp() {
  usePageTitle('Sign up');
  const { route } = useLocation();
  const [form, setForm] = useState({ username: '', email: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });

  const onSubmit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await register(form);
      route(`/signin?registered=1&username=${encodeURIComponent(form.username)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <h1>Create your account</h1>
      <form class="card form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <Field label="Username">
          {(p) => (
            <input {...p} name="username" autocomplete="username" required minLength={3}
              value={form.username} onInput={set('username')} />
          )}
        </Field>
        <Field label="Email">
          {(p) => (
            <input {...p} name="email" type="email" autocomplete="email" required
              value={form.email} onInput={set('email')} />
          )}
        </Field>
        <Field label="Password" hint="At least 8 characters.">
          {(p) => (
            <input {...p} name="password" type="password" autocomplete="new-password" required
              minLength={8} value={form.password} onInput={set('password')} />
          )}
        </Field>
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Creating account…' : 'Sign up'}
        </button>
        <p class="muted">
          Already have an account? <a href="/signin">Sign in</a>
        </p>
      </form>
    </section>
  );
}
