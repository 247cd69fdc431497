import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { PASSWORD_MIN, register } from '../auth.js';
import { ErrorMessage, Field } from '../components/Field.jsx';
import { useAction, usePageTitle } from '../hooks.js';

export function SignUp() {
  usePageTitle('Sign up');
  const { route } = useLocation();
  const [form, setForm] = useState({ username: '', email: '', password: '' });
  const { busy, error, run } = useAction();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });

  const onSubmit = (e) => {
    e.preventDefault();
    run(async () => {
      const answer = await register(form);
      const params = new URLSearchParams({ email: form.email, username: form.username });
      // Without email confirmation (a server setting) the account works at once.
      if (/confirm|code/i.test(answer?.message || '')) route(`/signup/confirm?${params}`);
      else route(`/signin?username=${encodeURIComponent(form.username)}`);
    });
  };

  return (
    <section class="page narrow">
      <h1>Create your account</h1>
      <form class="card form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <Field label="Username" hint="3 to 32 letters, digits, '_', '.' or '-'.">
          {(p) => (
            <input {...p} name="username" autocomplete="username" required minLength={3}
              maxLength={32} value={form.username} onInput={set('username')} />
          )}
        </Field>
        <Field label="Email" hint="We email you a code to confirm it.">
          {(p) => (
            <input {...p} name="email" type="email" autocomplete="email" required
              value={form.email} onInput={set('email')} />
          )}
        </Field>
        <Field label="Password" hint={`At least ${PASSWORD_MIN} characters.`}>
          {(p) => (
            <input {...p} name="password" type="password" autocomplete="new-password" required
              minLength={PASSWORD_MIN} value={form.password} onInput={set('password')} />
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
