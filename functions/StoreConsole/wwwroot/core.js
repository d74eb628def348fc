// The console's shared ground: the page's state, the store's session, the API and small DOM helpers.
import { t, lang } from '/console/i18n.js';

export const $ = id => document.getElementById(id);
export const state = {
  tab: 'paid', section: 'orders', seenPaid: null, details: new Map(), shown: '', shownCases: '', timer: 0, audio: null, verifying: null,
  profile: null, profileTimer: 0, seenCases: null,
};

// ---- session ------------------------------------------------------------------------------
/** What the entry module wires in: signing out when the key stops working. */
export const hooks = { signedOut: () => {} };

export const session = {
  get storeId() { return sessionStorage.getItem('console.store'); },
  get key() { return sessionStorage.getItem('console.key'); },
  save(storeId, key) { sessionStorage.setItem('console.store', storeId); sessionStorage.setItem('console.key', key); },
  clear() { sessionStorage.removeItem('console.store'); sessionStorage.removeItem('console.key'); },
};

/** A store route of the API; answers {ok, status, data} and never throws for an HTTP error. */
export async function api(method, path, body, headers = {}) {
  const response = await fetch(`/api/stores/${encodeURIComponent(session.storeId)}${path}`, {
    method, cache: 'no-store',
    headers: { Authorization: `Bearer ${session.key}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (response.headers.get('content-type') ?? '').includes('json') ? await response.json() : null;
  if (response.status === 401 && session.key) hooks.signedOut('wrongKey');
  return { ok: response.ok, status: response.status, data: json };
}

// ---- small DOM helpers (text is always set as text: a buyer's note is never HTML) -------------
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  return el;
}
/** Replaces an element's children, leaving out the ones a condition left null. */
export const fill = (el, ...children) => el.replaceChildren(...children.flat().filter(c => c != null && c !== false));
/** What went wrong, in the console's language, by the problem's stable code: never the server's English on the Chinese screen. */
export function problemText(answer) {
  const code = answer.data?.code;
  const text = code ? t(`problem.${code}`) : null;
  return text && text !== `problem.${code}` ? text : t('somethingWrong');
}

/** Why an order was cancelled, in the console's language where the reason is the system's; the buyer's own words as they wrote them. */
export function cancelReasonText(reason) {
  const known = Object.keys(t('cancelReasons')).find(r => reason === r || reason.startsWith(`${r} (`));
  return known ? t(`cancelReasons.${known}`) : reason;
}

export const yuan = fen => `¥${(fen / 100).toFixed(2)}`;
/**
 * A line as the counter hands it over: the units left, with those refunded before they left the
 * store struck through and said ("× 2 1 · 1 refunded"), so a refunded unit is never handed over.
 */
export function lineLabel(l) {
  const refundedHere = l.quantity - l.handOverQuantity;
  return h('span', { class: 'line-label' }, `${l.name} × `,
    refundedHere ? [h('del', {}, String(l.quantity)), ' ', h('strong', {}, String(l.handOverQuantity))] : String(l.quantity),
    l.refundedQuantity ? h('span', { class: 'refunded' }, ` · ${l.refundedQuantity} ${t('refunded')}`) : null);
}
export const when = iso => new Date(iso).toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN',
  { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
/** A time of day in the store's wall time, "10:30". */
export const clock = iso => new Date(iso).toLocaleTimeString(lang() === 'en' ? 'en-GB' : 'zh-CN',
  { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
export const shortId = id => id.slice(-6).toUpperCase();

/** Two short tones: something new for the store (an order, an after-sales request, a cancellation). Silent until the page was touched once. */
export function beep() {
  const audio = state.audio;
  if (!audio) return;
  audio.resume?.();
  for (const [start, frequency] of [[0, 880], [0.25, 1175]]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, audio.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.2);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(audio.currentTime + start);
    oscillator.stop(audio.currentTime + start + 0.2);
  }
}

let toastTimer = 0;
export function toast(message, kind = 'ok') {
  const el = $('connection');
  el.textContent = message;
  el.className = `notice ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

/**
 * After an action redrew what had focus: the element of the same id again, or else the fallback,
 * so that focus never drops to the page body (a keyboard or screen-reader user would lose their place).
 */
export function restoreFocus(previousId, fallbackId) {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected && !active.disabled) return;
  ((previousId && document.getElementById(previousId)) || document.getElementById(fallbackId))?.focus();
}
