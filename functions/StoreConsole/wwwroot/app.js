// The store console: one page, no build step. It calls only the store routes of the API with the
// store's key, which lives in session storage (never in a URL, never logged).
import { t, lang, setLang, translatePage } from '/console/i18n.js';

const POLL_MS = 4000;
const TABS = [
  { id: 'paid', label: 'tabPaid', statuses: ['Paid'] },
  { id: 'accepted', label: 'tabAccepted', statuses: ['Accepted'] },
  { id: 'ready', label: 'tabReady', statuses: ['ReadyForPickup'] },
  { id: 'delivery', label: 'tabDelivery', statuses: ['Dispatching', 'CourierAssigned', 'InTransit'] },
  { id: 'done', label: 'tabDone', statuses: ['PickedUp', 'Delivered'] },
  { id: 'closed', label: 'tabClosed', statuses: ['Cancelled', 'Rejected'] },
];
const VERIFY_ERRORS = {
  not_found: 'wrongCode', pickup_code_used: 'codeUsed', pickup_code_expired: 'codeExpired', wrong_store: 'wrongStore',
  rate_limited: 'lockedOut', conflict: 'inProgress', validation_failed: 'codeRequired', after_sales_open: 'afterSalesOpen',
  nothing_to_hand_over: 'nothingToHandOver',
};
/** The cases a clerk acts on come first. */
const CASE_ORDER = ['Requested', 'AwaitingReturn', 'RefundFailed', 'Refunding', 'Refunded', 'Rejected', 'Withdrawn', 'Closed'];

const $ = id => document.getElementById(id);
const state = { tab: 'paid', section: 'orders', seenPaid: null, details: new Map(), shown: '', shownCases: '', timer: 0, audio: null, verifying: null };

// ---- session ------------------------------------------------------------------------------
const session = {
  get storeId() { return sessionStorage.getItem('console.store'); },
  get key() { return sessionStorage.getItem('console.key'); },
  save(storeId, key) { sessionStorage.setItem('console.store', storeId); sessionStorage.setItem('console.key', key); },
  clear() { sessionStorage.removeItem('console.store'); sessionStorage.removeItem('console.key'); },
};

/** A store route of the API; answers {ok, status, data} and never throws for an HTTP error. */
async function api(method, path, body, headers = {}) {
  const response = await fetch(`/api/stores/${encodeURIComponent(session.storeId)}${path}`, {
    method, cache: 'no-store',
    headers: { Authorization: `Bearer ${session.key}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (response.headers.get('content-type') ?? '').includes('json') ? await response.json() : null;
  if (response.status === 401 && session.key) signOut('wrongKey');
  return { ok: response.ok, status: response.status, data: json };
}

// ---- small DOM helpers (text is always set as text: a buyer's note is never HTML) -------------
function h(tag, attributes = {}, ...children) {
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
const fill = (el, ...children) => el.replaceChildren(...children.flat().filter(c => c != null && c !== false));
const yuan = fen => `¥${(fen / 100).toFixed(2)}`;
/**
 * A line as the counter hands it over: the units left, with those refunded before they left the
 * store struck through and said ("× 2 1 · 1 refunded"), so a refunded unit is never handed over.
 */
function lineLabel(l) {
  const refundedHere = l.quantity - l.handOverQuantity;
  return h('span', { class: 'line-label' }, `${l.name} × `,
    refundedHere ? [h('del', {}, String(l.quantity)), ' ', h('strong', {}, String(l.handOverQuantity))] : String(l.quantity),
    l.refundedQuantity ? h('span', { class: 'refunded' }, ` · ${l.refundedQuantity} ${t('refunded')}`) : null);
}
const when = iso => new Date(iso).toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN',
  { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
const shortId = id => id.slice(-6).toUpperCase();

let toastTimer = 0;
function toast(message, kind = 'ok') {
  const el = $('connection');
  el.textContent = message;
  el.className = `notice ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// ---- sign-in ------------------------------------------------------------------------------
async function signIn(event) {
  event.preventDefault();
  const storeId = $('store-id').value.trim();
  const key = $('store-key').value;
  const error = $('sign-in-error');
  error.textContent = '';
  if (!storeId || !key) { error.textContent = t('wrongKey'); return; }
  state.audio ??= new AudioContext(); // created by the clerk's click, so the new-order sound may play later
  session.save(storeId, key);
  try {
    const probe = await api('GET', '/orders?pageSize=1');
    if (!probe.ok) {
      session.clear();
      error.textContent = t(probe.status === 401 ? 'wrongKey' : 'signInFailed');
      return;
    }
  } catch {
    session.clear();
    error.textContent = t('signInFailed');
    return;
  }
  $('store-key').value = '';
  enterWorkspace();
}

function signOut(reason) {
  session.clear();
  clearInterval(state.timer);
  stopScan();
  state.seenPaid = null;
  state.details.clear();
  state.shown = '';
  $('workspace').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('store-name').textContent = '';
  $('sign-in-error').textContent = typeof reason === 'string' ? t(reason) : '';
  document.title = t('title');
}

function enterWorkspace() {
  $('sign-in').hidden = true;
  $('workspace').hidden = false;
  $('sign-out').hidden = false;
  $('store-name').textContent = session.storeId;
  renderTabs();
  showSection('orders');
  refresh();
  clearInterval(state.timer);
  state.timer = setInterval(refresh, POLL_MS);
}

// ---- sections -----------------------------------------------------------------------------
function showSection(section) {
  state.section = section;
  for (const button of document.querySelectorAll('[data-section]')) button.setAttribute('aria-pressed', String(button.dataset.section === section));
  for (const id of ['orders', 'verify', 'stock', 'aftersales']) $(id).hidden = id !== section;
  if (section === 'stock') loadStock();
  if (section === 'aftersales') { state.shownCases = ''; loadCases(); }
  if (section === 'verify') $('code').focus();
  if (section !== 'verify') stopScan();
}

function renderTabs() {
  const tabs = $('status-tabs');
  tabs.replaceChildren(...TABS.map(tab => h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-selected': String(tab.id === state.tab), 'aria-controls': 'order-list',
    tabindex: tab.id === state.tab ? '0' : '-1',
    onclick: () => { state.tab = tab.id; state.shown = ''; renderTabs(); refresh(); },
    onkeydown: event => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = TABS[(TABS.findIndex(x => x.id === state.tab) + step + TABS.length) % TABS.length];
      state.tab = next.id; state.shown = ''; renderTabs(); $(`tab-${next.id}`).focus(); refresh();
    },
  }, t(tab.label))));
  $('order-list').setAttribute('aria-labelledby', `tab-${state.tab}`);
}

// ---- the queue ----------------------------------------------------------------------------
async function listStatus(status) {
  const page = await api('GET', `/orders?status=${status}&pageSize=50`);
  return page.ok ? page.data.items : [];
}

async function refresh() {
  if (!session.key) return;
  try {
    const paid = await listStatus('Paid');
    announceNew(paid);
    await loadCases();
    const tab = TABS.find(x => x.id === state.tab);
    const items = (tab.id === 'paid' ? paid : (await Promise.all(tab.statuses.map(listStatus))).flat())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    await Promise.all(items.filter(i => i.status !== 'Rejected').map(loadDetails));
    const shown = `${lang()}|${tab.id}|${items.map(i => `${i.orderId}@${i.version}:${i.status}`).join(',')}`;
    if (shown !== state.shown) { state.shown = shown; renderOrders(items); }
    if ($('connection').classList.contains('offline')) $('connection').hidden = true;
  } catch {
    toast(t('offline'), 'offline');
  }
}

/** New paid orders since the last look: a badge, the count in the title and a sound. */
function announceNew(paid) {
  const ids = new Set(paid.map(o => o.orderId));
  const fresh = state.seenPaid ? [...ids].filter(id => !state.seenPaid.has(id)) : [];
  state.seenPaid = ids;
  const badge = $('new-badge');
  badge.hidden = ids.size === 0;
  badge.textContent = String(ids.size);
  badge.setAttribute('aria-label', `${t('tabPaid')}: ${ids.size}`);
  document.title = ids.size ? `(${ids.size}) ${t('title')}` : t('title');
  if (fresh.length) { beep(); toast(`${t('newOrder')} #${shortId(fresh[0])}`); }
}

function beep() {
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

/** An order's details, fetched again only when its version grew. */
async function loadDetails(item) {
  const cached = state.details.get(item.orderId);
  if (cached && cached.version >= item.version) return;
  const answer = await api('GET', `/orders/${encodeURIComponent(item.orderId)}`);
  if (answer.ok) state.details.set(item.orderId, { version: item.version, order: answer.data });
}

function renderOrders(items) {
  const list = $('order-list');
  if (!items.length) { list.replaceChildren(h('p', { class: 'empty' }, t('empty'))); return; }
  list.replaceChildren(...items.map(item => orderCard(item, state.details.get(item.orderId)?.order)));
}

function orderCard(item, order) {
  const status = item.status === 'Rejected' ? 'Rejected' : (order?.status ?? item.status);
  const titleId = `order-${item.orderId}`;
  const facts = [];
  const fact = (term, ...value) => facts.push(h('dt', {}, t(term)), h('dd', { class: term }, ...value));
  fact('placedAt', when(item.createdAt));
  if (order?.pickup && status === 'ReadyForPickup') fact('pickupBy', when(order.pickup.expiresAt));
  if (order?.delivery) {
    const d = order.delivery;
    fact('buyer', `${d.contact.name} ${d.contact.phone}`);
    fact('address', d.address.line);
    if (d.provider) fact('courier', `${d.provider} · ${t(`courierStatus.${d.status}`)}`);
    if (d.rider) fact('rider', `${d.rider.name}${d.rider.phone ? ` ${d.rider.phone}` : ''}`);
  }
  if (order?.note) fact('note', order.note);
  if (order?.deliveryFeeFen) fact('deliveryFee', yuan(order.deliveryFeeFen));
  return h('article', { class: `order${item.flagged ? ' flagged' : ''}`, 'aria-labelledby': titleId, 'data-order-id': item.orderId },
    h('header', {},
      h('h3', { id: titleId }, `#${shortId(item.orderId)} `, h('span', { class: `mode ${item.mode}` }, t(item.mode))),
      h('span', { class: `status s-${status}` }, t(`status.${status}`))),
    order ? h('ul', { class: 'lines' }, order.items.map(l => h('li', {}, lineLabel(l), h('span', {}, yuan(l.lineTotalFen))))) : null,
    item.flagged ? h('p', { class: 'warning', role: 'note' }, t('flagged')) : null,
    h('dl', { class: 'facts' }, facts),
    h('p', { class: 'total' }, `${t('total')} ${yuan(item.totalFen)}`),
    actions(item, order, status));
}

function actions(item, order, status) {
  const buttons = [];
  const act = (label, className, run) => buttons.push(h('button', {
    type: 'button', class: className, 'aria-label': `${t(label)} #${shortId(item.orderId)}`,
    onclick: async event => { event.currentTarget.disabled = true; await run(); },
  }, t(label)));
  const post = (verb, message, body) => async () => {
    const answer = await api('POST', `/orders/${encodeURIComponent(item.orderId)}/${verb}`, body);
    toast(answer.ok ? t(message) : (answer.data?.detail ?? t('somethingWrong')), answer.ok ? 'ok' : 'error');
    state.shown = '';
    await refresh();
  };
  if (status === 'Paid') {
    act('accept', 'primary', post('accept', 'accepted'));
    act('reject', 'danger', () => askReason(item));
  }
  if (status === 'Accepted') act(item.mode === 'delivery' ? 'readyDelivery' : 'ready', 'primary', post('ready', 'readied'));
  if (order && !['Paid', 'Cancelled', 'Rejected', 'PendingPayment'].includes(status)) act('print', '', async () => { printTicket(order); state.shown = ''; await refresh(); });
  return buttons.length ? h('div', { class: 'actions' }, buttons) : null;
}

function askReason(item) {
  const dialog = $('reject-dialog');
  $('reject-reason').value = '';
  dialog.onclose = async () => {
    const reason = $('reject-reason').value.trim();
    if (dialog.returnValue !== 'confirm' || !reason) { state.shown = ''; await refresh(); return; }
    const answer = await api('POST', `/orders/${encodeURIComponent(item.orderId)}/reject`, { reason });
    toast(answer.ok ? t('rejected') : (answer.data?.detail ?? t('somethingWrong')), answer.ok ? 'ok' : 'error');
    state.shown = '';
    await refresh();
  };
  dialog.showModal();
}

// ---- after-sales ----------------------------------------------------------------------------
/** The store's cases: the waiting ones counted on the section's badge, all of them listed when it is open. */
async function loadCases() {
  const answer = await api('GET', '/after-sales?pageSize=50');
  if (!answer.ok) return;
  const cases = answer.data.items.sort((a, b) => CASE_ORDER.indexOf(a.stage) - CASE_ORDER.indexOf(b.stage) || b.requestedAt.localeCompare(a.requestedAt));
  const waiting = cases.filter(c => c.stage === 'Requested' || c.stage === 'AwaitingReturn').length;
  const badge = $('cases-badge');
  badge.hidden = waiting === 0;
  badge.textContent = String(waiting);
  badge.setAttribute('aria-label', `${t('afterSales')}: ${waiting}`);
  if (state.section !== 'aftersales') return;
  const shown = `${lang()}|${cases.map(c => `${c.caseId}:${c.stage}`).join(',')}`;
  if (shown === state.shownCases) return;
  state.shownCases = shown;
  const list = $('case-list');
  if (!cases.length) { list.replaceChildren(h('p', { class: 'empty' }, t('noCases'))); return; }
  list.replaceChildren(...cases.map(caseCard));
}

/** A case as the clerk names it: its order's short number and the case's own, "#3BZQAW/A01". */
const caseLabel = c => `#${shortId(c.orderId)}/${c.caseId.slice(-3).toUpperCase()}`;

function caseCard(c) {
  const titleId = `case-${c.caseId}`;
  const facts = [];
  const fact = (term, ...value) => facts.push(h('dt', {}, t(term)), h('dd', { class: term }, ...value));
  fact('caseReason', c.reason);
  if (c.note) fact('note', c.note);
  fact('askedWhile', t(`status.${c.askedWhile}`));
  fact('requestedAt', when(c.requestedAt));
  if (c.answerBy) fact('answerBy', when(c.answerBy));
  if (c.photos.length) fact('photos', ...c.photos.map((url, i) => h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `${t('photo')} ${i + 1} `)));
  return h('article', { class: 'order case', 'aria-labelledby': titleId, 'data-case-id': c.caseId },
    h('header', {},
      h('h3', { id: titleId }, `${t(c.type === 'return' ? 'caseReturn' : 'caseRefund')} ${caseLabel(c)}`),
      h('span', { class: `status c-${c.stage}` }, t(`stage.${c.stage}`))),
    h('ul', { class: 'lines' }, c.lines.map(l => h('li', {}, h('span', {}, `${l.name} × ${l.quantity}`), h('span', {}, yuan(l.amountFen))))),
    c.needsHeadOffice ? h('p', { class: 'warning', role: 'note' }, t('needsHeadOffice')) : null,
    h('dl', { class: 'facts' }, facts),
    h('p', { class: 'total' }, `${t('caseAmount')} ${yuan(c.refundFen ?? c.linesFen)}`),
    caseActions(c));
}

function caseActions(c) {
  const buttons = [];
  const act = (label, className, run) => buttons.push(h('button', {
    type: 'button', class: className, 'aria-label': `${t(label)} ${caseLabel(c)}`,
    onclick: async event => { event.currentTarget.disabled = true; await run(); },
  }, t(label)));
  const post = (verb, message, body) => async () => caseAnswered(await api('POST', `/after-sales/${encodeURIComponent(c.caseId)}/${verb}`, body ?? {}), message);
  if (c.stage === 'Requested') {
    if (!c.needsHeadOffice) act('caseApprove', 'primary', post('approve', 'caseApproved'));
    act('caseReject', 'danger', () => askCaseReason(c));
  }
  if (c.stage === 'AwaitingReturn') {
    act('receivedRestock', 'primary', post('received', 'caseReceived', { restock: true }));
    act('receivedDamaged', '', post('received', 'caseReceived', { restock: false }));
  }
  return buttons.length ? h('div', { class: 'actions' }, buttons) : null;
}

async function caseAnswered(answer, message) {
  const el = $('cases-message');
  el.textContent = answer.ok ? t(message) : (answer.data?.detail ?? t('somethingWrong'));
  el.className = `message ${answer.ok ? 'ok' : 'error'}`;
  state.shownCases = '';
  await loadCases();
}

function askCaseReason(c) {
  const dialog = $('case-reject-dialog');
  $('case-reject-reason').value = '';
  dialog.onclose = async () => {
    const reason = $('case-reject-reason').value.trim();
    if (dialog.returnValue !== 'confirm' || !reason) { state.shownCases = ''; await loadCases(); return; }
    await caseAnswered(await api('POST', `/after-sales/${encodeURIComponent(c.caseId)}/reject`, { reason }), 'caseRejected');
  };
  dialog.showModal();
}

// ---- the ticket (browser print; paper width from the header's choice) ----------------------
function printTicket(order) {
  const ticket = $('ticket');
  fill(ticket,
    h('h2', {}, `${t('ticketTitle')} · ${session.storeId}`),
    h('p', {}, `#${shortId(order.orderId)} · ${t(order.mode)}`),
    h('p', { class: 'small' }, order.orderId),
    h('p', {}, when(order.createdAt)),
    h('table', {}, order.items.filter(l => l.handOverQuantity > 0 || l.refundedQuantity > 0)
      .map(l => h('tr', {}, h('td', {}, lineLabel(l)), h('td', {}, yuan(l.lineTotalFen))))),
    order.deliveryFeeFen ? h('p', {}, `${t('deliveryFee')} ${yuan(order.deliveryFeeFen)}`) : null,
    h('p', { class: 'strong' }, `${t('total')} ${yuan(order.totalFen)}`),
    order.delivery ? h('p', {}, `${order.delivery.contact.name} ${order.delivery.contact.phone} · ${order.delivery.address.line}`) : null,
    order.note ? h('p', {}, `${t('note')}: ${order.note}`) : null,
    h('p', {}, t('ticketThanks')));
  const paper = localStorage.getItem('console.paper') === '58' ? '58mm' : '80mm';
  const sheet = [...document.styleSheets].find(s => s.href?.endsWith('/console/style.css'));
  if (sheet) sheet.insertRule(`@page { size: ${paper} auto; margin: 3mm; }`, sheet.cssRules.length);
  document.body.dataset.paper = paper;
  window.print();
}

// ---- verification at the counter ------------------------------------------------------------
function codeOf(input) {
  const value = input.trim();
  return /^\d{6}$/.test(value) || value.startsWith('o2o-pickup:') ? value : null;
}

function verifyMessage(key, kind) {
  const el = $('verify-message');
  el.textContent = key ? t(key) : '';
  el.className = `message ${kind ?? ''}`;
}

async function lookUp(event) {
  event.preventDefault();
  const code = codeOf($('code').value);
  $('preview').hidden = true;
  if (!code) { verifyMessage('codeRequired', 'error'); return; }
  verifyMessage('');
  const answer = await api('POST', '/pickups/preview', { code });
  if (!answer.ok) { verifyMessage(VERIFY_ERRORS[answer.data?.code] ?? 'somethingWrong', 'error'); return; }
  state.verifying = code;
  const order = answer.data;
  fill($('preview-order'),
    h('p', { class: 'strong' }, `#${shortId(order.orderId)} · ${t(order.mode)} · ${t(`status.${order.status}`)}`),
    h('ul', { class: 'lines' }, order.items.map(l => h('li', {}, lineLabel(l), h('span', {}, yuan(l.lineTotalFen))))),
    h('p', {}, `${t('total')} ${yuan(order.totalFen)} · ${t('placedAt')} ${when(order.createdAt)}`),
    order.note ? h('p', {}, `${t('note')}: ${order.note}`) : null);
  $('preview').hidden = false;
  $('confirm').focus();
}

async function confirmHandOver() {
  if (!state.verifying) return;
  $('confirm').disabled = true;
  const answer = await api('POST', '/pickups/verify', { code: state.verifying });
  $('confirm').disabled = false;
  $('preview').hidden = true;
  state.verifying = null;
  if (answer.ok) {
    verifyMessage('handedOver', 'ok');
    $('code').value = '';
    state.shown = '';
    refresh();
  } else {
    verifyMessage(VERIFY_ERRORS[answer.data?.code] ?? 'somethingWrong', 'error');
  }
  $('code').focus();
}

let scanning = null;
async function startScan() {
  if (scanning) { stopScan(); return; }
  try {
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    const video = $('camera');
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    $('scan').textContent = t('stopScan');
    scanning = { stream, timer: setInterval(async () => {
      const [found] = await detector.detect(video).catch(() => []);
      if (!found) return;
      $('code').value = found.rawValue;
      stopScan();
      $('verify-form').requestSubmit();
    }, 300) };
  } catch {
    stopScan();
    verifyMessage('cameraUnavailable', 'error');
  }
}

function stopScan() {
  if (scanning) {
    clearInterval(scanning.timer);
    scanning.stream.getTracks().forEach(track => track.stop());
    scanning = null;
  }
  $('camera').hidden = true;
  $('scan').textContent = t('scan');
}

// ---- stock --------------------------------------------------------------------------------
async function loadStock() {
  const answer = await api('GET', '/stock');
  if (!answer.ok) return;
  $('stock-table').tBodies[0].replaceChildren(...answer.data.items.map(stockRow));
}

function stockRow(row) {
  const label = row.name ? `${row.name} (${row.sku})` : row.sku;
  const id = `stock-${row.sku}`;
  // An answer replaces only its own row, so a clerk typing in another row loses nothing.
  const show = (answer, ok) => {
    if (answer.ok) tr.replaceWith(stockRow(answer.data));
    stockMessage(answer.ok ? ok : 'somethingWrong', answer.ok ? 'ok' : 'error');
  };
  const soldOut = h('input', {
    type: 'checkbox', id: `${id}-soldout`, checked: row.soldOut, 'aria-label': `${t('soldOut')}: ${label}`,
    onchange: async event => {
      const on = event.target.checked;
      show(await api('PUT', `/stock/${encodeURIComponent(row.sku)}/sold-out`, { soldOut: on }), on ? 'soldOutOn' : 'soldOutOff');
    },
  });
  const delta = h('input', { type: 'number', step: '1', id: `${id}-delta`, class: 'delta', 'aria-label': `${t('delta')}: ${label}`, required: true });
  const reason = h('input', { id: `${id}-reason`, class: 'reason', maxlength: '200', 'aria-label': `${t('reason')}: ${label}`, placeholder: t('reason'), required: true });
  const form = h('form', {
    class: 'adjust', novalidate: true,
    onsubmit: async event => {
      event.preventDefault();
      const value = Number(delta.value);
      if (!delta.value || !Number.isInteger(value) || value === 0) { stockMessage('deltaInvalid', 'error'); delta.focus(); return; }
      if (!reason.value.trim()) { stockMessage('reasonRequired', 'error'); reason.focus(); return; }
      // One key per adjustment as filled in: a double tap or a retry after a lost answer adjusts once.
      form.dataset.key ??= crypto.randomUUID();
      const answer = await api('POST', `/stock/${encodeURIComponent(row.sku)}/adjustments`,
        { delta: value, reason: reason.value.trim() }, { 'Idempotency-Key': form.dataset.key });
      if (answer.ok || answer.status < 500) delete form.dataset.key; // only a server fault is retried with the same key
      if (answer.ok || answer.status >= 500) show(answer, 'adjusted');
      else { $('stock-message').textContent = answer.data?.detail ?? t('somethingWrong'); $('stock-message').className = 'message error'; }
    },
  }, delta, reason, h('button', { type: 'submit', 'aria-label': `${t('apply')}: ${label}` }, t('apply')));
  const tr = h('tr', { class: row.soldOut ? 'sold-out' : '' },
    h('th', { scope: 'row' }, label), h('td', {}, row.onHand), h('td', {}, row.reserved), h('td', { class: 'strong' }, row.available),
    h('td', {}, row.damaged), h('td', {}, soldOut), h('td', {}, form));
  return tr;
}

function stockMessage(key, kind) {
  const el = $('stock-message');
  el.textContent = t(key);
  el.className = `message ${kind}`;
}

// ---- start --------------------------------------------------------------------------------
function applyLanguage() {
  translatePage();
  // The other language's name, in that language (and marked so, for screen readers).
  $('lang').textContent = lang() === 'en' ? '中文' : 'English';
  $('lang').lang = lang() === 'en' ? 'zh-CN' : 'en';
  if (!$('workspace').hidden) { renderTabs(); state.shown = ''; state.shownCases = ''; refresh(); if (state.section === 'stock') loadStock(); }
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => signOut());
$('lang').addEventListener('click', () => { setLang(lang() === 'en' ? 'zh' : 'en'); applyLanguage(); });
$('paper').value = localStorage.getItem('console.paper') === '58' ? '58' : '80';
$('paper').addEventListener('change', event => localStorage.setItem('console.paper', event.target.value));
for (const button of document.querySelectorAll('[data-section]')) button.addEventListener('click', () => showSection(button.dataset.section));
$('verify-form').addEventListener('submit', lookUp);
$('confirm').addEventListener('click', confirmHandOver);
$('cancel-preview').addEventListener('click', () => { $('preview').hidden = true; state.verifying = null; $('code').focus(); });
$('scan').hidden = !('BarcodeDetector' in window && navigator.mediaDevices?.getUserMedia);
$('scan').addEventListener('click', startScan);
applyLanguage();
if (session.key) enterWorkspace();
