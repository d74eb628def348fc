// The order queue: tabs by status, cards that update without a reload, the clerk's buttons.
import { t, lang } from '/console/i18n.js';
import { $, state, session, api, h, yuan, lineLabel, when, clock, shortId, toast, restoreFocus, problemText, cancelReasonText, beep } from '/console/core.js';
import { loadCases } from '/console/aftersales.js';
import { printTicket } from '/console/ticket.js';

export const POLL_MS = 4000;
// Work to do is listed by when it must start (a slot's order after today's urgent ones); what is done, newest first.
const TABS = [
  { id: 'paid', label: 'tabPaid', statuses: ['Paid'], urgent: true },
  { id: 'accepted', label: 'tabAccepted', statuses: ['Accepted'], urgent: true },
  { id: 'ready', label: 'tabReady', statuses: ['ReadyForPickup'] },
  { id: 'delivery', label: 'tabDelivery', statuses: ['Dispatching', 'CourierAssigned', 'InTransit'] },
  { id: 'done', label: 'tabDone', statuses: ['PickedUp', 'Delivered'] },
  { id: 'closed', label: 'tabClosed', statuses: ['Cancelled', 'Rejected'] },
];

/** Draws the queue again even if nothing in it changed (after the clerk acted, or switched tab or language). */
export function redraw() {
  state.shown = '';
  return refresh();
}

export function renderTabs() {
  const tabs = $('status-tabs');
  tabs.replaceChildren(...TABS.map(tab => h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-selected': String(tab.id === state.tab), 'aria-controls': 'order-list',
    tabindex: tab.id === state.tab ? '0' : '-1',
    onclick: () => { state.tab = tab.id; renderTabs(); redraw(); },
    onkeydown: event => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = TABS[(TABS.findIndex(x => x.id === state.tab) + step + TABS.length) % TABS.length];
      state.tab = next.id; renderTabs(); $(`tab-${next.id}`).focus(); redraw();
    },
  }, t(tab.label))));
  $('order-list').setAttribute('aria-labelledby', `tab-${state.tab}`);
}

// ---- the queue ----------------------------------------------------------------------------
async function listStatus(status) {
  const page = await api('GET', `/orders?status=${status}&pageSize=50`);
  return page.ok ? page.data.items : [];
}

export async function refresh() {
  if (!session.key) return;
  try {
    const paid = await listStatus('Paid');
    await announceCancelled(paid);
    announceNew(paid);
    await loadCases();
    const tab = TABS.find(x => x.id === state.tab);
    const items = (tab.id === 'paid' ? paid : (await Promise.all(tab.statuses.map(listStatus))).flat());
    await Promise.all(items.filter(i => i.status !== 'Rejected').map(loadDetails));
    items.sort(tab.urgent ? byStartBy : (a, b) => b.createdAt.localeCompare(a.createdAt));
    const shown = `${lang()}|${tab.id}|${items.map(i => `${i.orderId}@${i.version}:${i.status}`).join(',')}`;
    if (shown !== state.shown) { state.shown = shown; renderOrders(items); }
    if ($('connection').classList.contains('offline')) $('connection').hidden = true;
  } catch {
    toast(t('offline'), 'offline');
  }
}

const startBy = item => state.details.get(item.orderId)?.order.promise?.startBy ?? item.createdAt;
const byStartBy = (a, b) => new Date(startBy(a)) - new Date(startBy(b));

/** New orders that left the queue cancelled (by the buyer, or refunded whole): a sound and a message saying why, not a card quietly gone. */
async function announceCancelled(paid) {
  if (!state.seenPaid) return;
  const still = new Set(paid.map(o => o.orderId));
  for (const id of [...state.seenPaid].filter(seen => !still.has(seen))) {
    const answer = await api('GET', `/orders/${encodeURIComponent(id)}`);
    if (!answer.ok || answer.data.status !== 'Cancelled') continue; // accepted, or sent to another store
    beep();
    toast(`${t('cancelledAlert').replace('{id}', shortId(id))}${t('colon')}${cancelReasonText(answer.data.cancelReason ?? '')}`, 'error');
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
  const promise = order?.promise;
  if (promise?.slotStart) fact('slot', `${when(promise.slotStart)}–${clock(promise.slotEnd)}`);
  if (promise && ['Paid', 'Accepted'].includes(status)) fact(item.mode === 'delivery' ? 'readyForRider' : 'readyBy', when(promise.readyBy));
  if (promise?.deliveredBy && !['Delivered', 'Cancelled', 'Rejected'].includes(status)) fact('deliveredBy', when(promise.deliveredBy));
  if (order?.pickup && status === 'ReadyForPickup') fact('pickupBy', when(order.pickup.expiresAt));
  if (order?.delivery) {
    const d = order.delivery;
    fact('buyer', `${d.contact.name} ${d.contact.phone}`);
    fact('address', d.address.line);
    if (d.provider) fact('courier', `${t(`courierName.${d.provider}`)} · ${t(`courierStatus.${d.status}`)}`);
    if (d.rider) fact('rider', `${d.rider.name}${d.rider.phone ? ` ${d.rider.phone}` : ''}`);
  }
  if (order?.note) fact('note', order.note);
  if (status === 'Cancelled' && order?.cancelReason) fact('cancelReason', cancelReasonText(order.cancelReason));
  if (order?.deliveryFeeFen) fact('deliveryFee', yuan(order.deliveryFeeFen));
  if (order?.refundedFen) fact('refundedTotal', yuan(order.refundedFen)); // what after-sales or a cancellation gave back
  return h('article', { class: `order${item.flagged ? ' flagged' : ''}`, 'aria-labelledby': titleId, 'data-order-id': item.orderId },
    h('header', {},
      h('h3', { id: titleId }, `#${shortId(item.orderId)} `, h('span', { class: `mode ${item.mode}` }, t(item.mode))),
      h('span', { class: `status s-${status}` }, t(`status.${status}`))),
    order ? h('ul', { class: 'lines' }, order.items.map(l => h('li', {}, lineLabel(l), h('span', {}, yuan(l.lineTotalFen))))) : null,
    item.flagged ? h('p', { class: 'warning', role: 'note' }, t('flagged')) : null,
    promiseNote(item, order, status),
    h('dl', { class: 'facts' }, facts),
    h('p', { class: 'total' }, `${t('total')} ${yuan(item.totalFen)}`),
    actions(item, order, status));
}

/** A card's word on its promise: late (by how long), at risk, or scheduled for later (when to start), while there is work to do. */
function promiseNote(item, order, status) {
  const promise = order?.promise;
  const open = item.mode === 'delivery'
    ? ['Paid', 'Accepted', 'Dispatching', 'CourierAssigned', 'InTransit'].includes(status)
    : ['Paid', 'Accepted'].includes(status);
  if (!promise || !open) return null;
  const due = new Date(item.mode === 'delivery' ? promise.deliveredBy ?? promise.readyBy : promise.readyBy);
  const now = Date.now();
  if (promise.breachedAt || now > due) {
    const minutes = Math.max(1, Math.ceil((now - due) / 60000));
    return h('p', { class: 'late', role: 'note' }, t('late').replace('{minutes}', String(minutes)));
  }
  if (promise.atRisk.length) return h('p', { class: 'warning', role: 'note' }, t('atRisk'));
  if (promise.slotStart && new Date(promise.startBy) > now) return h('p', { class: 'scheduled' }, t('scheduled').replace('{time}', when(promise.startBy)));
  return null;
}

function actions(item, order, status) {
  const buttons = [];
  const act = (label, className, run) => buttons.push(h('button', {
    type: 'button', class: className, 'aria-label': `${t(label)} #${shortId(item.orderId)}`,
    onclick: async event => { event.currentTarget.disabled = true; await run(); restoreFocus(null, `tab-${state.tab}`); },
  }, t(label)));
  const post = (verb, message, body) => async () => {
    const answer = await api('POST', `/orders/${encodeURIComponent(item.orderId)}/${verb}`, body);
    toast(answer.ok ? t(message) : problemText(answer), answer.ok ? 'ok' : 'error');
    await redraw();
  };
  if (status === 'Paid') {
    act('accept', 'primary', post('accept', 'accepted'));
    act('reject', 'danger', () => askReason(item));
  }
  if (status === 'Accepted') act(item.mode === 'delivery' ? 'readyDelivery' : 'ready', 'primary', post('ready', 'readied'));
  if (order && !['Paid', 'Cancelled', 'Rejected', 'PendingPayment'].includes(status)) act('print', '', async () => { printTicket(order); await redraw(); });
  return buttons.length ? h('div', { class: 'actions' }, buttons) : null;
}

function askReason(item) {
  const dialog = $('reject-dialog');
  $('reject-reason').value = '';
  dialog.onclose = async () => {
    const reason = $('reject-reason').value.trim();
    if (dialog.returnValue !== 'confirm' || !reason) { await redraw(); return; }
    const answer = await api('POST', `/orders/${encodeURIComponent(item.orderId)}/reject`, { reason });
    toast(answer.ok ? t('rejected') : problemText(answer), answer.ok ? 'ok' : 'error');
    await redraw();
    restoreFocus(null, `tab-${state.tab}`);
  };
  dialog.showModal();
}
