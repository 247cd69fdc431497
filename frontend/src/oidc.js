// Signing in through an external identity provider (Cognito's hosted UI or any OIDC issuer):
// authorization code + PKCE (S256) as a public client, with no secret. The state and the
// verifier wait in sessionStorage (this tab only) while the provider has the browser; back at
// /auth/callback the code is traded for the provider's tokens right here, and its access token
// is then the bearer token for VideoForge's API, which links the account (auth/external.py).
import { session } from './session.js';

const PENDING = 'vf.oidc.pending';
export const CALLBACK_PATH = '/auth/callback';

export class SignInError extends Error {}

function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes) {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values);
  return base64url(values);
}

async function s256(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

function form(fields) {
  // A form body: a "simple" cross-origin request, so providers answer it without a preflight.
  return new URLSearchParams(Object.entries(fields).filter(([, value]) => value));
}

// Send the browser to the provider's sign-in page; `next` is where to land afterwards.
export async function startSignIn(provider, next) {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new SignInError(`Signing in with ${provider.name} needs this site on https.`);
  }
  const pending = {
    state: randomString(24),
    verifier: randomString(48), // 64 characters, within PKCE's 43 to 128
    next,
    redirectUri: `${window.location.origin}${CALLBACK_PATH}`,
    provider: {
      id: provider.id,
      name: provider.name,
      clientId: provider.clientId,
      tokenEndpoint: provider.tokenEndpoint,
      logoutEndpoint: provider.logoutEndpoint,
    },
  };
  const url = new URL(provider.authorizationEndpoint);
  const query = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: pending.redirectUri,
    scope: provider.scopes.join(' '),
    state: pending.state,
    code_challenge: await s256(pending.verifier),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  window.location.assign(url.toString());
}

// The sign-in this tab started, used once: a reload or a replayed link cannot use it again.
function takePending() {
  try {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    return pending;
  } catch {
    return null;
  }
}

function providerRefused(name, error, description) {
  if (error === 'access_denied') {
    return `You did not allow VideoForge to sign you in with ${name}.`;
  }
  return `${name} could not sign you in: ${description || error}.`;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

// At /auth/callback: check the state, trade the code, find out who this is. Resolves to the
// local path to go to next; throws SignInError with what went wrong, in words.
export async function finishSignIn(query) {
  const pending = takePending();
  const name = pending?.provider.name || 'the identity provider';
  if (query.error) throw new SignInError(providerRefused(name, query.error, query.error_description));
  if (!pending || !query.state || query.state !== pending.state) {
    throw new SignInError(
      'This sign-in cannot be finished: it was not started in this tab, or it was already ' +
        'used. Please start again.',
    );
  }
  if (!query.code) throw new SignInError(`${name} sent no authorization code back.`);
  const { provider } = pending;
  let res;
  try {
    res = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      body: form({
        grant_type: 'authorization_code',
        code: query.code,
        redirect_uri: pending.redirectUri,
        client_id: provider.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    throw new SignInError(`Cannot reach ${name} to finish signing in. Please try again.`);
  }
  const tokens = await readJson(res);
  if (!res.ok || !tokens?.access_token) {
    const why = tokens?.error_description || tokens?.error || `it answered ${res.status}`;
    throw new SignInError(`${name} did not finish signing you in (${why}). Please start again.`);
  }
  const me = await fetch('/api/auth/me', {
    headers: { Authorization: `Bearer ${tokens.access_token}` },
  });
  const user = await readJson(me);
  if (!me.ok) {
    const why = user?.message || `it answered ${me.status}`;
    throw new SignInError(`VideoForge did not accept your sign-in with ${name}: ${why}`);
  }
  session.signIn({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    user,
    provider: { ...provider, idToken: tokens.id_token },
  });
  return pending.next;
}

// New tokens from the provider's refresh token (Cognito keeps the refresh token the same).
export async function refreshAtProvider() {
  const provider = session.provider();
  const refreshToken = session.refreshToken();
  if (!provider || !refreshToken) return false;
  let res;
  try {
    res = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: provider.clientId }),
    });
  } catch {
    return false; // a network hiccup leaves the session in place
  }
  const tokens = await readJson(res);
  if (!res.ok || !tokens?.access_token) {
    if ([400, 401].includes(res.status)) session.clear(); // the provider refused the refresh token
    return false;
  }
  session.updateTokens({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
  if (tokens.id_token) session.setProvider({ ...provider, idToken: tokens.id_token });
  return true;
}

// Where to send the browser to end the provider's own session too (null when it has no logout
// endpoint). Cognito's /logout takes logout_uri; OIDC's end_session post_logout_redirect_uri.
export function providerLogoutUrl(provider) {
  if (!provider?.logoutEndpoint) return null;
  const url = new URL(provider.logoutEndpoint);
  const back = `${window.location.origin}/`;
  url.searchParams.set('client_id', provider.clientId);
  if (provider.id === 'cognito') {
    url.searchParams.set('logout_uri', back);
  } else {
    url.searchParams.set('post_logout_redirect_uri', back);
    if (provider.idToken) url.searchParams.set('id_token_hint', provider.idToken);
  }
  return url.toString();
}
