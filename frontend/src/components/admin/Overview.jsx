// The dashboard's first tab: videos and jobs by status, the queue, storage, users.
import { api } from '../../api.js';
import { formatBytes } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { ErrorMessage } from '../Field.jsx';

const QUEUE_WORDS = {
  visible: 'Waiting',
  in_flight: 'Being worked on',
  delayed: 'Waiting to retry',
  dead: 'Dead letters',
};

function Counts({ title, counts, words = {} }) {
  const entries = Object.entries(counts || {});
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return (
    <section class="card stat" aria-labelledby={`stat-${title}`}>
      <h2 id={`stat-${title}`}>{title}</h2>
      <p class="stat-total">{total}</p>
      <dl class="stat-list">
        {entries.map(([key, n]) => (
          <div key={key} data-key={key}><dt>{words[key] || key}</dt><dd>{n}</dd></div>
        ))}
      </dl>
    </section>
  );
}

export function Overview() {
  const overview = useLoader((signal) => api('/api/admin/overview', { signal }), []);
  const storage = useLoader((signal) => api('/api/admin/storage', { signal }), []);
  const data = overview.data;
  return (
    <>
      <ErrorMessage error={overview.error || storage.error} />
      {data && (
        <div class="stat-grid" data-testid="admin-overview">
          <Counts title="Videos" counts={data.videos} />
          <Counts title="Jobs" counts={data.jobs} />
          <Counts title="Queue" counts={data.queue} words={QUEUE_WORDS} />
          <section class="card stat" aria-labelledby="stat-storage">
            <h2 id="stat-storage">Storage used</h2>
            <p class="stat-total" data-testid="storage-used">{formatBytes(data.storageBytes)}</p>
            <p class="muted small">{data.users} {data.users === 1 ? 'user' : 'users'}</p>
          </section>
        </div>
      )}
      {storage.data && storage.data.byUser.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>Uploads by user</caption>
            <thead><tr><th scope="col">User</th><th scope="col">Videos</th><th scope="col">Uploaded</th></tr></thead>
            <tbody>
              {storage.data.byUser.map((u) => (
                <tr key={u.userId}>
                  <td>{u.username}</td><td>{u.videos}</td><td>{formatBytes(u.sourceBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
