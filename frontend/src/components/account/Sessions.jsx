// The devices signed in to this account, with a way to sign the others out.
import { endSession, listSessions } from '../../auth.js';
import { formatDate } from '../../format.js';
import { useAction, useLoader } from '../../hooks.js';
import { ErrorMessage } from '../Field.jsx';

// "Firefox on Linux" from a user agent, roughly; the raw string is kept as a title.
function deviceName(agent) {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : null;
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS'
    : /Windows/.test(agent) ? 'Windows' : /Mac OS/.test(agent) ? 'macOS'
    : /Linux/.test(agent) ? 'Linux' : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser || system || agent.slice(0, 40);
}

export function Sessions() {
  const { data, error, reload } = useLoader(() => listSessions(), []);
  const action = useAction();
  const others = (data || []).filter((s) => !s.current);

  const end = (ids) =>
    action.run(async () => {
      for (const id of ids) await endSession(id);
      reload();
    });

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signed-in devices</h2>
      <ErrorMessage error={error || action.error} />
      {data && (
        <ul class="session-list">
          {data.map((s) => (
            <li key={s.id} data-current={s.current ? 'true' : 'false'}>
              <span title={s.userAgent || ''}>{deviceName(s.userAgent)}</span>
              <span class="muted small"> · signed in {formatDate(s.createdAt)}</span>
              {s.current ? (
                <span class="badge">This device</span>
              ) : (
                <button type="button" class="link-button small" disabled={action.busy}
                  onClick={() => end([s.id])}>Sign out</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" class="button secondary small" disabled={action.busy}
          onClick={() => end(others.map((s) => s.id))}>
          Sign out all other devices
        </button>
      )}
    </section>
  );
}
