// Account actions: sign up and confirm the email, sign in (with the second-factor and enrolment
// steps), password reset and change, two-step sign-in settings, signed-in devices, sign out.
import { api } from './api.js';
import { providerLogoutUrl } from './oidc.js';
import { session } from './session.js';

// The server's rule (auth/service.py PASSWORD_MIN), checked here too for a quicker answer.
export const PASSWORD_MIN = 10;

const post = (path, json) => api(path, { method: 'POST', json });

export const register = ({ username, email, password }) =>
  post('/api/auth/register', { username, email, password });
export const confirmEmail = ({ email, code }) =>
  post('/api/auth/confirm-email', { email, confirmationCode: code });
export const resendConfirmation = (email) => post('/api/auth/resend-confirmation', { email });
export const forgotPassword = (email) => post('/api/auth/forgot-password', { email });
export const resetPassword = ({ email, code, newPassword }) =>
  post('/api/auth/reset-password', { email, code, newPassword });

// Keep the tokens of an "authenticated" answer; pass any other answer (a next step) through.
function keep(answer) {
  if (answer?.status === 'authenticated') session.signIn(answer);
  return answer;
}

// Resolves to {status: "authenticated", user}, {status: "mfa_required", session, methods}
// or {status: "mfa_enrolment_required", session}.
export async function signIn({ username, password }) {
  return keep(await post('/api/auth/login', { username, password }));
}

// The second step: a TOTP code, a recovery code, or the code mailed for this challenge.
export async function completeMfa({ challenge, username, code }) {
  return keep(await post('/api/auth/mfa/complete', { session: challenge, username, otpCode: code }));
}

export const sendMfaEmail = (challenge) => post('/api/auth/mfa/email/send', { session: challenge });

// TOTP set-up for a signed-in user, or (with `enrolment`) for one an administrator makes enrol.
export const startTotpSetup = (enrolment) =>
  post('/api/auth/mfa/totp/setup', enrolment ? { session: enrolment } : undefined);

// Resolves to {recoveryCodes}; within an enrolment the answer also signs the user in.
export async function confirmTotp({ code, enrolment }) {
  return keep(await post('/api/auth/mfa/totp/confirm', { code, session: enrolment || undefined }));
}

export const mfaStatus = () => api('/api/auth/mfa');
export const newRecoveryCodes = (code) => post('/api/auth/mfa/recovery-codes', { code });
export const disableMfa = ({ password, code }) => post('/api/auth/mfa/disable', { password, code });

export async function changePassword({ currentPassword, newPassword }) {
  return keep(await post('/api/auth/change-password', { currentPassword, newPassword }));
}

export const listSessions = () => api('/api/auth/sessions');
export const endSession = (id) =>
  api(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });

// Resolves to true when the browser is leaving to end the identity provider's session too
// (Cognito's /logout, an OIDC end_session endpoint); callers then do not route anywhere.
export async function signOut() {
  const provider = session.provider();
  if (provider) {
    session.clear();
    const logout = providerLogoutUrl(provider);
    if (logout) window.location.assign(logout);
    return Boolean(logout);
  }
  const refreshToken = session.refreshToken();
  try {
    if (refreshToken) await post('/api/auth/logout', { refreshToken });
  } catch {
    // Signing out here must work even when the server cannot be told.
  } finally {
    session.clear();
  }
  return false;
}

export async function reloadMe() {
  const user = await api('/api/auth/me');
  session.setUser(user);
  return user;
}
