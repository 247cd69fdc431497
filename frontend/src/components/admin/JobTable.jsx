// Every user's jobs, newest first, with a status filter and pages (both kept in the URL).
import { useLocation } from 'preact-iso';
import { api } from '../../api.js';
import { formatDate } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { ErrorMessage } from '../Field.jsx';
import { Pager } from '../Pager.jsx';

export const JOB_STATUSES = ['queued', 'processing', 'ready', 'failed', 'cancelled'];

export function JobRows({ jobs }) {
  if (!jobs.length) return <p class="empty">No jobs here.</p>;
  return (
    <div class="table-wrap">
      <table class="jobs">
        <thead>
          <tr>
            <th scope="col">Video</th><th scope="col">Owner</th><th scope="col">Status</th>
            <th scope="col">Progress</th><th scope="col">Tries</th><th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-status={job.status}>
              <td>
                <a href={`/watch/${job.videoId}`}>{job.videoTitle || job.videoId}</a>
                {job.error && <p class="small error-text">{job.error}</p>}
              </td>
              <td>{job.username || job.userId}</td>
              <td><span class={`badge status-${job.status}`}>{job.status}</span></td>
              <td>{Math.floor(job.progress)}%</td>
              <td>{job.attempts}</td>
              <td>{formatDate(job.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function JobTable() {
  const { query, route } = useLocation();
  const status = query.status || '';
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const href = (changes) => {
    const params = new URLSearchParams({ tab: 'jobs', status, page: String(page), ...changes });
    if (!params.get('status')) params.delete('status');
    if (params.get('page') === '1') params.delete('page');
    return `/admin?${params}`;
  };
  const { data, error } = useLoader(
    (signal) => api('/api/admin/jobs', { query: { status, page, limit: 20 }, signal }),
    [status, page],
  );
  return (
    <>
      <div class="field inline">
        <label for="job-status">Status</label>
        <select id="job-status" value={status}
          onChange={(e) => route(href({ status: e.currentTarget.value, page: '1' }))}>
          <option value="">Every status</option>
          {JOB_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        {data && <span class="muted small">{data.pagination.total} jobs</span>}
      </div>
      <ErrorMessage error={error} />
      {data && <JobRows jobs={data.jobs} />}
      {data && <Pager pagination={data.pagination} hrefFor={(p) => href({ page: String(p) })} />}
    </>
  );
}
