// Who is signed in: tokens and the user, kept in localStorage so a reload stays signed in,
// and shared between tabs through the storage event. A session from an external identity
// provider (oidc.js) also keeps that provider: where to refresh its tokens and sign out.
import { useEffect, useState } from 'preact/hooks';

const KEYS = {
  access: 'vf.accessToken',
  refresh: 'vf.refreshToken',
  user: 'vf.user',
  provider: 'vf.provider',
};
const listeners = new Set();

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: behave as signed out
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the session lasts for this page only
  }
}

function parse(key) {
  try {
    return JSON.parse(read(key) || 'null');
  } catch {
    return null;
  }
}

const parseUser = () => parse(KEYS.user);

function notify() {
  const user = session.user();
  for (const listener of listeners) listener(user);
}

export const session = {
  accessToken: () => read(KEYS.access),
  refreshToken: () => read(KEYS.refresh),
  user: parseUser,
  // {id, name, clientId, tokenEndpoint, logoutEndpoint, idToken} or null for our own accounts.
  provider: () => parse(KEYS.provider),

  // Store the answer of a sign-in (or refresh) with status "authenticated".
  signIn({ accessToken, refreshToken, user, provider }) {
    write(KEYS.access, accessToken);
    write(KEYS.refresh, refreshToken);
    write(KEYS.user, JSON.stringify(user));
    write(KEYS.provider, provider ? JSON.stringify(provider) : null);
    notify();
  },

  setProvider(provider) {
    write(KEYS.provider, JSON.stringify(provider));
  },

  updateTokens({ accessToken, refreshToken, user }) {
    if (accessToken) write(KEYS.access, accessToken);
    if (refreshToken) write(KEYS.refresh, refreshToken);
    if (user) write(KEYS.user, JSON.stringify(user));
    if (user) notify();
  },

  setUser(user) {
    write(KEYS.user, JSON.stringify(user));
    notify();
  },

  clear() {
    write(KEYS.access, null);
    write(KEYS.refresh, null);
    write(KEYS.user, null);
    write(KEYS.provider, null);
    notify();
  },

  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (Object.values(KEYS).includes(event.key)) notify();
  });
}

// The signed-in user (or null), re-rendering when it changes.
export function useUser() {
  const [user, setUser] = useState(session.user);
  useEffect(() => session.subscribe(setUser), []);
  return user;
}
