// After-sales: the store's cases, waiting ones first, and its answers.
import { t, lang } from '/console/i18n.js';
import { $, state, api, h, yuan, when, shortId, restoreFocus, problemText, beep, toast } from '/console/core.js';

/** The cases a clerk acts on come first. */
const CASE_ORDER = ['Requested', 'AwaitingReturn', 'RefundFailed', 'Refunding', 'Refunded', 'Rejected', 'Withdrawn', 'Closed'];

/** Draws the cases again even if none changed. */
export function redrawCases() {
  state.shownCases = '';
  return loadCases();
}

// ---- after-sales ----------------------------------------------------------------------------
/** The store's cases: the waiting ones counted on the section's badge, all of them listed when it is open. */
export async function loadCases() {
  const answer = await api('GET', '/after-sales?pageSize=50');
  if (!answer.ok) return;
  const cases = answer.data.items.sort((a, b) => CASE_ORDER.indexOf(a.stage) - CASE_ORDER.indexOf(b.stage) || b.requestedAt.localeCompare(a.requestedAt));
  announceNewCases(cases);
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

/** Requests new since the last look: a sound and a note, whatever section is open (the first look only learns what is there). */
function announceNewCases(cases) {
  const requested = new Set(cases.filter(c => c.stage === 'Requested').map(c => c.caseId));
  const fresh = state.seenCases ? cases.filter(c => requested.has(c.caseId) && !state.seenCases.has(c.caseId)) : [];
  state.seenCases = requested;
  if (!fresh.length) return;
  beep();
  toast(t('newCase').replace('{case}', caseLabel(fresh[0])));
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
      h('span', { class: `status c-${c.stage}` }, t(`stage.${withHeadOffice(c) ? 'WithHeadOffice' : c.stage}`))),
    h('ul', { class: 'lines' }, c.lines.map(l => h('li', {}, h('span', {}, `${l.name} × ${l.quantity}`), h('span', {}, yuan(l.amountFen))))),
    c.needsHeadOffice ? h('p', { class: 'warning', role: 'note' }, t('needsHeadOffice')) : null,
    h('dl', { class: 'facts' }, facts),
    h('p', { class: 'total' }, `${t('caseAmount')} ${yuan(c.refundFen ?? c.linesFen)}`),
    caseActions(c));
}

/** Above the store's limit and waiting: head office decides, the store may still reject. */
const withHeadOffice = c => c.needsHeadOffice && c.stage === 'Requested';

function caseActions(c) {
  const buttons = [];
  const act = (label, className, run) => buttons.push(h('button', {
    type: 'button', class: className, 'aria-label': `${t(label)} ${caseLabel(c)}`,
    onclick: async event => { event.currentTarget.disabled = true; await run(); restoreFocus(null, 'cases-message'); },
  }, t(label)));
  const post = (verb, message, body) => async () => caseAnswered(await api('POST', `/after-sales/${encodeURIComponent(c.caseId)}/${verb}`, body ?? {}), message);
  if (c.stage === 'Requested') {
    if (!c.needsHeadOffice) act('caseApprove', 'primary', () => confirmApproval(c, post('approve', 'caseApproved')));
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
  el.textContent = answer.ok ? t(message) : problemText(answer);
  el.className = `message ${answer.ok ? 'ok' : 'error'}`;
  await redrawCases();
}

/** Approving gives money back: the clerk confirms it, with the amount, before it is sent. */
function confirmApproval(c, approve) {
  const dialog = $('case-approve-dialog');
  const amount = yuan(c.refundFen ?? c.linesFen);
  $('case-approve-text').textContent = t(c.type === 'return' ? 'caseApproveReturn' : 'caseApproveRefund')
    .replace('{amount}', amount).replace('{case}', caseLabel(c));
  return new Promise(resolve => {
    dialog.onclose = async () => {
      if (dialog.returnValue === 'confirm') await approve(); else await redrawCases();
      resolve();
    };
    dialog.returnValue = '';
    dialog.showModal();
  });
}

function askCaseReason(c) {
  const dialog = $('case-reject-dialog');
  $('case-reject-reason').value = '';
  dialog.onclose = async () => {
    const reason = $('case-reject-reason').value.trim();
    if (dialog.returnValue !== 'confirm' || !reason) { await redrawCases(); return; }
    await caseAnswered(await api('POST', `/after-sales/${encodeURIComponent(c.caseId)}/reject`, { reason }), 'caseRejected');
    restoreFocus(null, 'cases-message');
  };
  dialog.showModal();
}
