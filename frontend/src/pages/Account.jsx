// The account page: who I am, signed-in devices, two-step sign-in, password, signing out.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { signOut } from '../auth.js';
import { ChangePassword } from '../components/account/ChangePassword.jsx';
import { MfaSettings } from '../components/account/MfaSettings.jsx';
import { Profile } from '../components/account/Profile.jsx';
import { Sessions } from '../components/account/Sessions.jsx';
import { RequireUser } from '../components/RequireUser.jsx';
import { usePageTitle } from '../hooks.js';
import { session, useUser } from '../session.js';

export function Account() {
  usePageTitle('Your account');
  const user = useUser();
  const provider = session.provider(); // signed in through an identity provider
  const { route } = useLocation();
  const [changes, setChanges] = useState(0); // a password change ends other sessions
  return (
    <RequireUser>
      <section class="page narrow account">
        <h1>Your account</h1>
        <dl class="card details">
          <dt>Username</dt>
          <dd>{user?.username}</dd>
          <dt>Email</dt>
          <dd>{user?.email}</dd>
          <dt>Role</dt>
          <dd>{user?.role}</dd>
        </dl>
        <Profile />
        {provider ? (
          <p class="card" data-provider={provider.id}>
            You sign in with {provider.name}: your password and two-step sign-in are managed
            there.
          </p>
        ) : (
          <>
            <MfaSettings />
            <Sessions key={changes} />
            <ChangePassword onChanged={() => setChanges((n) => n + 1)} />
          </>
        )}
        <p>
          <button type="button" class="button secondary"
            onClick={async () => { if (!(await signOut())) route('/'); }}>
            Sign out
          </button>
        </p>
      </section>
    </RequireUser>
  );
}
