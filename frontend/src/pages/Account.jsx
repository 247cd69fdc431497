import { useLocation } from 'preact-iso';
import { signOut } from '../auth.js';
import { RequireUser } from '../components/RequireUser.jsx';
import { usePageTitle } from '../hooks.js';
import { useUser } from '../session.js';

export function Account() {
  usePageTitle('Your account');
  const user = useUser();
  const { route } = useLocation();
  return (
    <RequireUser>
      <section class="page narrow">
        <h1>Your account</h1>
        <dl class="card details">
          <dt>Username</dt>
          <dd>{user?.username}</dd>
          <dt>Email</dt>
          <dd>{user?.email}</dd>
          <dt>Role</dt>
          <dd>{user?.role}</dd>
        </dl>
        <p>
          <button type="button" class="button secondary"
            onClick={async () => { await signOut(); route('/'); }}>
            Sign out
          </button>
        </p>
      </section>
    </RequireUser>
  );
}
