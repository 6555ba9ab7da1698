// The login page (/login). The daemon serves it, login.css and this module to anyone, and
// nothing else of the frontend without a session, so this module imports nothing.
//
// POST /api/login answers 200 with the session cookie, which the page cannot see (HttpOnly):
// it only goes on to the app. A user with a one-time code learns so from a 401 that says
// totp_required, and only then sees the code's field. After too many failed logins the daemon
// answers 429 with how long to wait, and the button stays off until then.

const form = document.querySelector('form');
const userField = document.getElementById('user');
const passwordField = document.getElementById('password');
const totpRow = document.getElementById('totp-row');
const totpField = document.getElementById('totp');
const button = document.getElementById('login');
const error = document.getElementById('error');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  logIn();
});

// Logged in already (another tab), or login turned off: nothing to do here. A daemon that
// cannot be reached says so when the user logs in.
fetch('/api/session', { cache: 'no-store' }).then((response) => {
  if (response.ok) window.location.replace('/');
}, () => {});

async function logIn() {
  if (button.disabled) return;
  const credentials = { user: userField.value, password: passwordField.value };
  if (!totpRow.hidden && totpField.value) credentials.totp = totpField.value;
  button.disabled = true;
  showError('');
  let response;
  try {
    response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(credentials),
    });
  } catch {
    refuse('Cannot reach kvmrtc');
    return;
  }
  if (response.ok) {
    window.location.replace('/');
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (response.status === 429) {
    holdOff(retryAfterSeconds(response, answer));
    return;
  }
  refuse(answer.error || `Login failed (HTTP ${response.status})`);
  if (answer.totp_required) {
    askForCode();
  } else {
    passwordField.focus();
    passwordField.select();
  }
}

function refuse(text) {
  showError(text);
  button.disabled = false;
}

function askForCode() {
  totpRow.hidden = false;
  totpField.required = true;
  totpField.value = '';
  totpField.focus();
}

// Counts down to the moment the daemon takes logins again, a second at a time.
function holdOff(seconds) {
  const until = performance.now() + seconds * 1000;
  const tick = () => {
    const remainingMs = until - performance.now();
    const left = Math.ceil(remainingMs / 1000);
    if (left <= 0) {
      refuse('');
      return;
    }
    showError(`Too many failed logins: try again in ${left} s.`);
    setTimeout(tick, remainingMs - (left - 1) * 1000);
  };
  tick();
}

// The body says it in seconds; the Retry-After header too, for clients that read only headers.
// Should neither say, a second's wait still shows the user why the login did not go through.
function retryAfterSeconds(response, answer) {
  for (const value of [answer.retry_after, response.headers.get('Retry-After')]) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds);
  }
  return 1;
}

function showError(text) {
  error.textContent = text;
}
