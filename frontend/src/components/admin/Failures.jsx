// Failed jobs and the dead-letter queue: restart every failed job, or redrive dead letters.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatDate } from '../../format.js';
import { useAction, useLoader } from '../../hooks.js';
import { ErrorMessage } from '../Field.jsx';
import { JobRows } from './JobTable.jsx';

export function Failures() {
  const failed = useLoader(
    (signal) => api('/api/admin/jobs', { query: { status: 'failed', limit: 50 }, signal }),
    [],
  );
  const dead = useLoader((signal) => api('/api/admin/dlq', { signal }), []);
  const action = useAction();
  const [notice, setNotice] = useState(null);
  const reload = () => {
    failed.reload();
    dead.reload();
  };

  const restart = () =>
    action.run(async () => {
      const { restarted } = await api('/api/admin/jobs/restart-failed', { method: 'POST' });
      setNotice(`${restarted} failed ${restarted === 1 ? 'job was' : 'jobs were'} queued again.`);
      reload();
    });
  const redrive = (ids) =>
    action.run(async () => {
      const { redriven } = await api('/api/admin/dlq/redrive', {
        method: 'POST',
        json: ids ? { ids } : {},
      });
      setNotice(`${redriven} dead ${redriven === 1 ? 'letter was' : 'letters were'} queued again.`);
      reload();
    });

  const letters = dead.data?.messages || [];
  return (
    <>
      {notice && <p class="alert success" role="status">{notice}</p>}
      <ErrorMessage error={action.error || failed.error || dead.error} />
      <section aria-labelledby="failed-title">
        <div class="toolbar">
          <h2 id="failed-title">Failed jobs</h2>
          <button type="button" class="button small" disabled={action.busy || !failed.data?.jobs.length}
            onClick={restart}>Restart failed jobs</button>
        </div>
        {failed.data && <JobRows jobs={failed.data.jobs} />}
      </section>
      <section aria-labelledby="dlq-title">
        <div class="toolbar">
          <h2 id="dlq-title">Dead-letter queue</h2>
          <button type="button" class="button small" disabled={action.busy || !letters.length}
            onClick={() => redrive(null)}>Redrive all</button>
        </div>
        <p class="muted small">Jobs that failed every attempt. Redriving puts them back on the queue.</p>
        {dead.data && !letters.length && <p class="empty">The dead-letter queue is empty.</p>}
        {letters.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Video</th><th scope="col">Receives</th>
                  <th scope="col">Last error</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Action</span></th>
                </tr>
              </thead>
              <tbody>
                {letters.map((m) => (
                  <tr key={m.id}>
                    <td>{m.videoId ? <a href={`/watch/${m.videoId}`}>{m.videoId}</a> : '—'}</td>
                    <td>{m.receiveCount}</td>
                    <td class="small">{m.lastError || '—'}</td>
                    <td>{formatDate(m.createdAt)}</td>
                    <td>
                      <button type="button" class="button secondary small" disabled={action.busy}
                        onClick={() => redrive([m.id])}>Redrive</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
