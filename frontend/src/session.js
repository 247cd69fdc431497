// Who is signed in: tokens and the user, kept in localStorage so a reload stays signed in,
// and shared between tabs through the storage event.
import { useEffect, useState } from 'preact/hooks';

const KEYS = { access: 'vf.accessToken', refresh: 'vf.refreshToken', user: 'vf.user' };
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

function parseUser() {
  try {
    return JSON.parse(read(KEYS.user) || 'null');
  } catch {
    return null;
  }
}

function notify() {
  const user = session.user();
  for (const listener of listeners) listener(user);
}

export const session = {
  accessToken: () => read(KEYS.access),
  refreshToken: () => read(KEYS.refresh),
  user: parseUser,

  // Store the answer of a sign-in (or refresh) with status "authenticated".
  signIn({ accessToken, refreshToken, user }) {
    write(KEYS.access, accessToken);
    write(KEYS.refresh, refreshToken);
    write(KEYS.user, JSON.stringify(user));
    notify();
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
