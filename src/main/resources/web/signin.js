// Sign-in of the page: who is signed in (GET /auth/me), a key typed in or brought by the first
// start's link (#key=...), or the issuer's sign-in (/auth/login). The session lives in an HttpOnly
// cookie the page never sees; the key is sent once, to POST /auth/session, and then forgotten.

const $ = (id) => document.getElementById(id);

async function me() {
  const response = await fetch('/auth/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  return response.ok ? response.json() : null;
}

async function openSession(key) {
  const response = await fetch('/auth/session', { method: 'POST', headers: { 'X-Api-Key': key, Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

function showSignedIn(who) {
  $('signin-panel').hidden = true;
  $('main-layout').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `signed in as ${who.name}${who.admin ? ' (admin)' : ''}`;
  $('sign-out').hidden = who.name === 'local';
}

async function showSignIn(reason) {
  $('main-layout').hidden = true;
  $('who').hidden = true;
  $('signin-panel').hidden = false;
  $('signin-message').textContent = reason || '';
  const config = await fetch('/auth/config', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({}));
  $('signin-sso').hidden = !config.sso;
  $('signin-key').focus();
}

/** Resolves once someone is signed in (at once when a session or the local default holds). */
export async function signIn() {
  const linked = new URLSearchParams(location.hash.slice(1)).get('key');
  if (linked) {
    history.replaceState(null, '', location.pathname + location.search);
    await openSession(linked).catch((e) => showSignIn(e.message));
  }
  let who = await me();
  if (!who) {
    await showSignIn();
    who = await new Promise((resolve) => {
      $('signin-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          resolve(await openSession($('signin-key').value.trim()));
          $('signin-key').value = '';
        } catch (e) {
          $('signin-message').textContent = e.message;
          $('signin-message').className = 'message error';
        }
      });
    });
  }
  showSignedIn(who);
  $('sign-out').addEventListener('click', async () => {
    await fetch('/auth/logout', { method: 'POST' });
    location.reload();
  });
  return who;
}

/** The page's answer to a 401 while it runs: the session ended or the key was revoked. */
export function signedOut() {
  location.reload();
}
