// Account actions: sign up, sign in (with room for the second-factor step), sign out.
import { api } from './api.js';
import { session } from './session.js';

export function register({ username, email, password }) {
  return api('/api/auth/register', { method: 'POST', json: { username, email, password } });
}

// Resolves to {status: "authenticated", user} or {status: "mfa_required", session}.
export async function signIn({ username, password }) {
  const answer = await api('/api/auth/login', { method: 'POST', json: { username, password } });
  if (answer.status === 'mfa_required') return answer;
  session.signIn(answer);
  return answer;
}

// The second step when the account has a second factor (the original's path and body).
export async function completeMfa({ challenge, username, code }) {
  const answer = await api('/api/auth/mfa/complete', {
    method: 'POST',
    json: { session: challenge, username, otpCode: code },
  });
  session.signIn(answer);
  return answer;
}

export async function signOut() {
  const refreshToken = session.refreshToken();
  try {
    if (refreshToken) await api('/api/auth/logout', { method: 'POST', json: { refreshToken } });
  } catch {
    // Signing out here must work even when the server cannot be told.
  } finally {
    session.clear();
  }
}

export async function reloadMe() {
  const user = await api('/api/auth/me');
  session.setUser(user);
  return user;
}
