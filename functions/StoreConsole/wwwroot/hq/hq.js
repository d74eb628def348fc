// The head-office page: who is signed in, the after-sales that wait for head office, the stores, and the audit trail.
import { h, fill, yuan, when } from '/console/core.js';
import { t, lang, setLang, translatePage } from '/console/hq/words.js';
import { token, signOut, begin, complete } from '/console/hq/signin.js';

const $ = id => document.getElementById(id);
let me = null;
const may = role => me.roles.includes('admin') || me.roles.includes(role);

/** A head-office route; answers {ok, status, data}. A 401 means the token expired: back to the sign-in. */
async function api(method, path, body) {
  const response = await fetch(`/api/admin/${path}`, {
    method, cache: 'no-store',
    headers: { Authorization: `Bearer ${token()}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = (response.headers.get('content-type') ?? '').includes('json') ? await response.json() : await response.text();
  if (response.status === 401) showSignIn('expired');
  return { ok: response.ok, status: response.status, data };
}

function say(text, kind = 'ok') {
  const message = $('message');
  message.className = `message ${kind}`;
  message.textContent = text;
  message.focus(); // the button that was pressed may be gone: focus stays on what happened, not the page body
}
const problem = answer => {
  const text = t(`problem.${answer.data?.code}`);
  return text.startsWith('problem.') ? t('somethingWrong') : text;
};

function showSignIn(why) {
  signOut();
  me = null;
  $('workspace').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('who').textContent = '';
  $('sign-in-error').textContent = why ? t(why) : '';
}

async function showWorkspace() {
  const answer = await api('GET', 'me');
  if (answer.status === 503) { $('sign-in-error').textContent = t('unavailable'); return; } // the token is kept for when Entra ID is back
  if (!answer.ok) {
    if (answer.status !== 401) showSignIn(answer.status === 403 ? 'noRole' : 'signInFailed');
    return;
  }
  me = answer.data;
  const roles = me.roles.map(r => t(`roles.${r}`));
  $('who').textContent = lang() === 'en' ? `· ${me.name} (${roles.join(', ')})` : `· ${me.name}（${roles.join('、')}）`;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('workspace').hidden = false;
  await show('cases');
}

async function show(section) {
  for (const button of document.querySelectorAll('[data-section]')) button.setAttribute('aria-pressed', String(button.dataset.section === section));
  for (const id of ['cases', 'stores', 'audit']) $(id).hidden = id !== section;
  await ({ cases: drawCases, stores: drawStores, audit: drawAudit })[section]();
}

// ---- after-sales above a store's limit ------------------------------------------------------------
async function drawCases() {
  const answer = await api('GET', 'after-sales?state=needsHeadOffice');
  if (!answer.ok) return say(problem(answer), 'error');
  const cases = answer.data.items;
  fill($('case-list'), cases.length === 0 ? h('p', { class: 'empty' }, t('noCases')) : cases.map(caseCard));
}

function caseCard(c) {
  const amount = yuan(c.refundFen ?? c.linesFen);
  return h('article', { class: 'order', 'data-case-id': c.caseId, 'aria-label': `${t('order')} ${c.orderId}` },
    h('header', {}, h('strong', {}, `${t(c.type)} · ${amount}`), ' ', h('span', { class: 'small' }, c.caseId)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('order')), h('dd', {}, c.orderId), h('dt', {}, t('store')), h('dd', {}, c.storeId),
      h('dt', {}, t('reason')), h('dd', {}, c.reason ?? ''), h('dt', {}, t('requested')), h('dd', {}, when(c.requestedAt))),
    h('ul', { class: 'lines' }, c.lines.map(l => h('li', {}, `${l.name} × ${l.quantity} · ${yuan(l.amountFen)}`))),
    may('finance')
      ? h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: () => approve(c, amount) }, t('approve')),
        h('button', { type: 'button', class: 'danger', onclick: () => reject(c) }, t('reject')))
      : h('p', { class: 'hint' }, t('needsFinance')));
}

function approve(c, amount) {
  const dialog = $('approve-dialog');
  $('approve-text').textContent = t('approveText', { amount, case: c.caseId });
  dialog.returnValue = '';
  dialog.onclose = () => dialog.returnValue === 'confirm' && answerCase(c, 'approve', null, 'approved');
  dialog.showModal();
}

function reject(c) {
  const dialog = $('reject-dialog');
  $('reject-reason').value = '';
  dialog.returnValue = '';
  dialog.onclose = () => {
    const reason = $('reject-reason').value.trim();
    if (dialog.returnValue === 'confirm' && reason) answerCase(c, 'reject', { reason }, 'rejected');
  };
  dialog.showModal();
}

async function answerCase(c, action, body, done) {
  const answer = await api('POST', `after-sales/${encodeURIComponent(c.caseId)}/${action}`, body);
  await drawCases();
  say(answer.ok ? `${t(done)} · ${c.caseId}` : problem(answer), answer.ok ? 'ok' : 'error');
}

// ---- stores -------------------------------------------------------------------------------------
async function drawStores() {
  const answer = await api('GET', 'stores');
  if (!answer.ok) return say(problem(answer), 'error');
  fill($('store-list'), answer.data.items.map(storeCard));
}

function storeCard(s) {
  const id = s.storeId;
  const radius = h('input', { id: `radius-${id}`, type: 'number', min: '0', step: '100', value: String(s.deliveryRadiusM), disabled: !may('operator') });
  const auto = h('input', { id: `auto-${id}`, type: 'checkbox', checked: s.autoAccept, disabled: !may('operator') });
  const open = h('input', { id: `open-${id}`, type: 'checkbox', checked: s.open, disabled: !may('operator') });
  const save = async () => {
    const body = { ...s, deliveryRadiusM: Number(radius.value), autoAccept: auto.checked, open: open.checked };
    const answer = await api('PUT', `stores/${encodeURIComponent(id)}`, body);
    await drawStores();
    say(answer.ok ? `${t('saved')} · ${s.name}` : problem(answer), answer.ok ? 'ok' : 'error');
  };
  return h('article', { class: 'order', 'data-store-id': id, 'aria-label': s.name },
    h('header', {}, h('strong', {}, s.name), ' ', h('span', { class: 'small' }, id), ' ', h('span', { class: 'status' }, t(s.open ? 'open' : 'closed'))),
    h('div', { class: 'row' },
      h('label', { for: `open-${id}` }, open, ' ', t('open')), h('label', { for: `auto-${id}` }, auto, ' ', t('autoAccept'))),
    h('label', { for: `radius-${id}` }, t('radius')), radius,
    h('div', { class: 'row' },
      may('operator') ? h('button', { type: 'button', class: 'primary', onclick: save }, t('save')) : h('p', { class: 'hint' }, t('needsOperator')),
      may('admin') ? h('button', { type: 'button', onclick: () => issueKey(s) }, t('issueKey')) : null));
}

async function issueKey(s) {
  const answer = await api('POST', `stores/${encodeURIComponent(s.storeId)}/keys`);
  if (!answer.ok) return say(problem(answer), 'error');
  $('key-value').textContent = answer.data.key;
  const dialog = $('key-dialog');
  dialog.onclose = () => { $('key-value').textContent = ''; }; // gone from the page once handed over
  dialog.showModal();
}

// ---- audit trail --------------------------------------------------------------------------------
async function drawAudit() {
  const answer = await api('GET', 'audit?days=7');
  if (!answer.ok) return say(problem(answer), 'error');
  const cell = (key, text, className) => h('td', { 'data-label': t(key), class: className }, text);
  const rows = answer.data.entries.map(e => h('tr', { 'data-change-id': e.changeId },
    cell('at', when(e.at)), cell('staff', e.staffName), cell('action', e.action), cell('target', e.target),
    cell('outcome', t(`outcomes.${e.outcome}`) + (e.refusal ? ` (${e.refusal})` : '')), cell('change', difference(e.before, e.after), 'small change')));
  fill($('audit-table').querySelector('tbody'),
    rows.length ? rows : h('tr', {}, h('td', { colspan: '6', class: 'empty' }, t('noAudit'))));
}

/** What a change changed: the fields whose values differ, "deliveryRadiusM: 5000 → 3000"; a thing that did not exist before was created. */
function difference(before, after) {
  if (!after) return '';
  if (!before) return t('created');
  const keys = Object.keys(after).filter(k => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.map(k => `${k}: ${JSON.stringify(before[k]) ?? '—'} → ${JSON.stringify(after[k])}`).join('; ');
}

async function exportAudit() {
  const answer = await api('GET', 'audit?days=7&format=csv');
  if (!answer.ok) return say(problem(answer), 'error');
  const link = h('a', { href: URL.createObjectURL(new Blob([answer.data], { type: 'text/csv' })), download: 'head-office-audit.csv' });
  link.click();
  URL.revokeObjectURL(link.href);
}

// ---- wiring -------------------------------------------------------------------------------------
function wire() {
  translatePage();
  $('lang').textContent = lang() === 'en' ? '中文' : 'English';
  $('lang').lang = lang() === 'en' ? 'zh-CN' : 'en';
  $('lang').onclick = async () => {
    setLang(lang() === 'en' ? 'zh' : 'en');
    wire();
    if (me) await showWorkspace();
  };
}

wire();
for (const button of document.querySelectorAll('[data-section]')) button.onclick = () => show(button.dataset.section);
$('export').onclick = exportAudit;
$('sign-out').onclick = () => showSignIn(null);
$('sign-in-button').onclick = async () => {
  const notNow = await begin();
  if (typeof notNow === 'string') $('sign-in-error').textContent = t(notNow);
};
const returned = await complete();
if (typeof returned === 'string') showSignIn(returned);
else if (token()) await showWorkspace();
