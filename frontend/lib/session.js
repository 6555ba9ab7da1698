// The page's login session: who is logged in, in what role, and whether the session still
// holds. Its cookie is HttpOnly, so the page cannot look at it: it asks the daemon
// (GET /api/session). When the session ends while the page is open (logout elsewhere, expiry,
// a changed password or role), the daemon closes the signaling socket with code 4401; but a
// socket refused for want of a session only shows as 1006, like a daemon that is down, so a
// failed connection asks /api/session before trying again. Without a session the only page
// left to show is the login page. With login turned off (mode none) the daemon always answers
// 200 and nothing here changes the page.

import { Backoff } from './backoff.js';

const SESSION_ENDED_CLOSE_CODE = 4401;

// A fetch to a daemon gone quiet (e.g. after a network change) could hang for minutes and, with
// it, the reconnect waiting for its answer.
const REQUEST_TIMEOUT_MS = 5000;

// A viewer only watches; these also type, click and paste.
const CONTROLLING_ROLES = new Set(['operator', 'admin']);

export function canControl(role) {
  return CONTROLLING_ROLES.has(role);
}

/** Whether the daemon closed the signaling socket because the login session ended. */
export function sessionEnded(closeCode) {
  return closeCode === SESSION_ENDED_CLOSE_CODE;
}

// A logout ends the session twice over: its own request's answer, and the daemon closing the
// signaling socket (4401). A second navigation would abort the first one mid-load.
let leavingForLogin = false;

export function goToLogin() {
  if (leavingForLogin) return;
  leavingForLogin = true;
  window.location.replace('/login');
}

/**
 * Resolves to { user, role, mode }, or to null when the daemon knows no session of this page;
 * rejects when the daemon cannot be reached or gives another answer.
 */
async function fetchSession() {
  const response = await fetch('/api/session', {
    cache: 'no-store',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET /api/session answered ${response.status}`);
  return response.json();
}

/**
 * Resolves to the page's session; without one, sends the page to the login page and resolves
 * to null. Asks again, and again, while the daemon cannot be reached.
 */
export async function requireSession() {
  const backoff = new Backoff();
  for (;;) {
    try {
      const session = await fetchSession();
      if (!session) goToLogin();
      return session;
    } catch (error) {
      console.warn('kvmrtc: cannot learn who is logged in; asking again:', error.message);
      await new Promise((resolve) => setTimeout(resolve, backoff.next()));
    }
  }
}

/**
 * Before a reconnect: resolves to false after sending the page to the login page when the
 * session is gone, else to true. A daemon that cannot be reached is no reason to leave: the
 * reconnects go on as before.
 */
export async function sessionStillValid() {
  try {
    if (await fetchSession()) return true;
  } catch (error) {
    console.debug('kvmrtc: cannot check the session before reconnecting:', error.message);
    return true;
  }
  goToLogin();
  return false;
}

/** Ends the session, then shows the login page whatever the daemon answered. */
export async function logOut() {
  try {
    await fetch('/api/logout', { method: 'POST', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    console.warn('kvmrtc: the logout request failed:', error.message);
  }
  goToLogin();
}
