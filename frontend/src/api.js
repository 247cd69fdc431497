// Talking to the VideoForge API: JSON in and out, the bearer token on every call, one refresh
// and retry when the access token has expired, and errors carrying the server's message.
import { refreshAtProvider } from './oidc.js';
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let refreshing = null;

// Trade the refresh token for new tokens, once for all callers that hit a 401 at the same time;
// a session from an external identity provider refreshes there.
export function refreshTokens() {
  const refreshToken = session.refreshToken();
  if (!refreshToken) return Promise.resolve(false);
  if (!refreshing) {
    const refreshed = session.provider() ? refreshAtProvider() : refreshHere(refreshToken);
    refreshing = refreshed.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function refreshHere(refreshToken) {
  return fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  })
    .then(async (res) => {
      if (!res.ok) {
        // Only a refused token (or a disabled account, 403) ends the session; a network
        // hiccup or a server error leaves it in place.
        if ([400, 401, 403].includes(res.status)) session.clear();
        return false;
      }
      session.updateTokens(await res.json());
      return true;
    })
    .catch(() => false);
}

// Seconds until the access token expires (from its `exp` claim), or Infinity when unknown.
function secondsLeft(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp - Date.now() / 1000;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

// The access token, refreshed first when it is about to expire (for long uploads).
export async function freshAccessToken() {
  const token = session.accessToken();
  if (token && secondsLeft(token) < 60) await refreshTokens();
  return session.accessToken();
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// fetch with the access token; on 401 refresh once and try again. Returns the Response.
export async function authorizedFetch(path, init = {}) {
  const send = () => {
    const headers = new Headers(init.headers || {});
    const token = session.accessToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  };
  let res = await send();
  if (res.status === 401 && session.accessToken() !== null && (await refreshTokens())) {
    res = await send();
  }
  return res;
}

export async function errorFrom(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status below.
  }
  const message =
    body?.message ||
    body?.error?.message ||
    (res.status >= 500
      ? 'The server ran into a problem. Please try again in a moment.'
      : `The request failed (${res.status}).`);
  return new ApiError(res.status, body?.error?.code || 'http_error', message);
}

// Call the API and return its parsed JSON (null for 204). Throws ApiError with a readable message.
export async function api(path, { method = 'GET', json, body, query, signal, headers } = {}) {
  const init = { method, signal, headers: { ...(headers || {}) } };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  let res;
  try {
    res = await authorizedFetch(withQuery(path, query), init);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach VideoForge. Check your connection and try again.');
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : null;
}
