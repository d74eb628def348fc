// Signing head office in with Microsoft Entra ID as a single-page app does: the authorization code flow with PKCE (S256). The
// access token lives in this tab's session storage only; the page never sees a password or the admin key.
const store = sessionStorage;
const redirectUri = () => `${location.origin}/console/hq/`;
const base64url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const token = () => store.getItem('hq.token');
export const signOut = () => store.removeItem('hq.token');

/** The Entra ID endpoints and client id, from the app (public values); else why not: 'notConfigured' or 'unavailable'. */
async function settings() {
  const answer = await fetch('/api/admin/sign-in', { cache: 'no-store' });
  return answer.ok ? answer.json() : answer.status === 404 ? 'notConfigured' : 'unavailable';
}

/** Sends the person to Entra ID's sign-in page; answers why not when it cannot ('notConfigured', 'unavailable'). */
export async function begin() {
  const config = await settings();
  if (typeof config === 'string') return config;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  store.setItem('hq.pkce', JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', redirect_uri: redirectUri(), response_mode: 'query', scope: config.scope,
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${config.authorizeUrl}?${query}`);
  return true;
}

/** On the way back from Entra ID: redeems the code for a token. Answers whether this load was a return (true/false) or an error text. */
export async function complete() {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return false;
  history.replaceState(null, '', location.pathname);
  const pending = JSON.parse(store.getItem('hq.pkce') ?? 'null');
  store.removeItem('hq.pkce');
  if (query.has('error') || !pending || query.get('state') !== pending.state) return 'signInFailed';
  const config = await settings();
  if (typeof config === 'string') return config;
  const answer = await fetch(config.tokenUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: config.clientId, grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
      code_verifier: pending.verifier, scope: config.scope,
    }),
  });
  if (!answer.ok) return 'signInFailed';
  store.setItem('hq.token', (await answer.json()).access_token);
  return true;
}
