// The admin dashboard: overview, every job, failures and the dead-letter queue, users.
// Tabs are links (?tab=...), so a reload or a shared address opens the same view.
import { useLocation } from 'preact-iso';
import { Failures } from '../components/admin/Failures.jsx';
import { JobTable } from '../components/admin/JobTable.jsx';
import { Overview } from '../components/admin/Overview.jsx';
import { Users } from '../components/admin/Users.jsx';
import { RequireUser } from '../components/RequireUser.jsx';
import { usePageTitle } from '../hooks.js';
import { useUser } from '../session.js';

const TABS = [
  ['overview', 'Overview', Overview],
  ['jobs', 'Jobs', JobTable],
  ['failures', 'Failures and dead letters', Failures],
  ['users', 'Users', Users],
];

function Dashboard() {
  const { query } = useLocation();
  const current = TABS.find(([key]) => key === query.tab) || TABS[0];
  const [key, , View] = current;
  return (
    <>
      <nav class="tabs" aria-label="Dashboard sections">
        {TABS.map(([k, label]) => (
          <a key={k} href={`/admin?tab=${k}`} aria-current={k === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <View key={key} />
    </>
  );
}

export function Admin() {
  usePageTitle('Admin');
  const user = useUser();
  return (
    <RequireUser>
      <section class="page admin">
        <h1>Admin dashboard</h1>
        {user?.role === 'admin' ? (
          <Dashboard />
        ) : (
          <p class="alert" role="alert">
            Only administrators can see this page. Ask an administrator if you need access.
          </p>
        )}
      </section>
    </RequireUser>
  );
}
