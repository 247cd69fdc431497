// Accounts: change a role, disable or re-enable (its sessions end at once), require MFA.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../../api.js';
import { formatDate } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { useUser } from '../../session.js';
import { ErrorMessage } from '../Field.jsx';
import { Pager } from '../Pager.jsx';

function UserRow({ account, isMe, onError }) {
  const [user, setUser] = useState(account);
  const [busy, setBusy] = useState(false);
  const change = async (body) => {
    setBusy(true);
    onError(null);
    try {
      setUser(await api(`/api/admin/users/${user.id}`, { method: 'PATCH', json: body }));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-username={user.username} data-disabled={user.disabled ? 'true' : 'false'}>
      <th scope="row">
        {user.username}
        <span class="muted small block">{user.email}</span>
      </th>
      <td>
        <label class="visually-hidden" for={`role-${user.id}`}>Role of {user.username}</label>
        <select id={`role-${user.id}`} value={user.role} disabled={busy || isMe}
          onChange={(e) => change({ role: e.currentTarget.value })}>
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td>{user.disabled ? <span class="badge status-failed">disabled</span> : 'active'}</td>
      <td>
        {user.mfaEnabled ? 'on' : 'off'}
        <label class="checkbox small">
          <input type="checkbox" checked={user.mfaRequired} disabled={busy}
            aria-label={`Require two-step sign-in for ${user.username}`}
            onChange={(e) => change({ requireMfa: e.currentTarget.checked })} />
          required
        </label>
      </td>
      <td>{formatDate(user.createdAt)}</td>
      <td>
        {!isMe && (
          <button type="button" class={`button small ${user.disabled ? 'secondary' : 'danger'}`}
            disabled={busy} aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
            onClick={() => change({ disabled: !user.disabled })}>
            {user.disabled ? 'Enable' : 'Disable'}
          </button>
        )}
      </td>
    </tr>
  );
}

export function Users() {
  const me = useUser();
  const { query } = useLocation();
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const [rowError, setRowError] = useState(null);
  const { data, error } = useLoader(
    (signal) => api('/api/admin/users', { query: { page, limit: 50 }, signal }),
    [page],
  );
  return (
    <>
      <ErrorMessage error={error || rowError} />
      {data && (
        <div class="table-wrap">
          <table class="users">
            <thead>
              <tr>
                <th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th>
                <th scope="col">Two-step sign-in</th><th scope="col">Joined</th>
                <th scope="col"><span class="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <UserRow key={u.id} account={u} isMe={u.id === me?.id} onError={setRowError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && <Pager pagination={data.pagination} hrefFor={(p) => `/admin?tab=users&page=${p}`} />}
    </>
  );
}
