// The store console: one page of ES modules, no build step. It calls only the store routes of
// the API with the store's key, which lives in session storage (never in a URL, never logged).
// This module signs in and out, switches sections and wires the page; each screen is a module.
import { t, lang, setLang, translatePage } from '/console/i18n.js';
import { $, state, session, api, hooks } from '/console/core.js';
import { POLL_MS, renderTabs, refresh, redraw } from '/console/queue.js';
import { redrawCases } from '/console/aftersales.js';
import { lookUp, confirmHandOver, startScan, stopScan } from '/console/verify.js';
import { loadStock } from '/console/stock.js';

// ---- sign-in ------------------------------------------------------------------------------
async function signIn(event) {
  event.preventDefault();
  const storeId = $('store-id').value.trim();
  const key = $('store-key').value;
  const error = $('sign-in-error');
  error.textContent = '';
  if (!storeId || !key) { error.textContent = t('wrongKey'); return; }
  armSound(); // the clerk's click: the new-order sound may play later
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
  $(`tab-${state.tab}`).focus(); // the sign-in form is gone: the clerk starts at the queue's tabs
}

function signOut(reason) {
  session.clear();
  clearInterval(state.timer);
  clearInterval(state.profileTimer);
  state.profile = null;
  $('store-hours').hidden = true;
  $('sound-off').hidden = true;
  stopScan();
  state.seenPaid = null;
  state.seenCases = null;
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
  loadProfile();
  clearInterval(state.profileTimer);
  state.profileTimer = setInterval(loadProfile, 60_000);
}

// ---- the store: its name, and whether it takes orders now -----------------------------------
async function loadProfile() {
  try {
    const answer = await api('GET', '');
    if (!answer.ok) return;
    state.profile = answer.data;
    drawProfile();
  } catch { /* offline: the queue's own banner says so; the last answer stays */ }
}

/** "12-08 09:00" from "2026-12-08T09:00:00+08:00": the store's own wall time, whatever the device's zone. */
const wallTime = (iso, withDate) => (withDate ? `${iso.slice(5, 10)} ` : '') + iso.slice(11, 16);

function drawProfile() {
  const profile = state.profile;
  if (!profile) return;
  $('store-name').textContent = `${profile.name} (${profile.storeId})`;
  const line = $('store-hours');
  line.textContent = profile.modes.map(m => t(m.mode) + t('colon') + (m.taking
    ? (m.orderBefore ? t('takingUntil').replace('{time}', wallTime(m.orderBefore, false)) : t('taking'))
    : [t('notTaking'), t(`closedReason.${m.closedReason}`) + (m.note ? ` (${m.note})` : ''),
      m.opensAt ? t('takingAgain').replace('{time}', wallTime(m.opensAt, true)) : null].filter(Boolean).join(t('comma')))).join(' · ');
  line.dataset.taking = String(profile.modes.some(m => m.taking));
  line.hidden = profile.modes.length === 0;
}

// ---- the new-order sound ------------------------------------------------------------------
// Browsers let a page make sound only after a person touched it. Signing in is such a touch; after
// a reload the console is already signed in, so it asks for one and arms the sound on the first.
function armSound() {
  state.audio ??= new AudioContext();
  state.audio.resume?.();
  $('sound-off').hidden = true;
}

function askForSound() {
  if (state.audio?.state === 'running') return;
  $('sound-off').hidden = false;
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, armSound, { once: true, capture: true });
}

// ---- sections -----------------------------------------------------------------------------
function showSection(section) {
  state.section = section;
  for (const button of document.querySelectorAll('[data-section]')) button.setAttribute('aria-pressed', String(button.dataset.section === section));
  for (const id of ['orders', 'verify', 'stock', 'aftersales']) $(id).hidden = id !== section;
  if (section === 'stock') loadStock();
  if (section === 'aftersales') redrawCases();
  if (section === 'verify') $('code').focus();
  if (section !== 'verify') stopScan();
}

// ---- start --------------------------------------------------------------------------------
function applyLanguage() {
  translatePage();
  // The other language's name, in that language (and marked so, for screen readers).
  $('lang').textContent = lang() === 'en' ? '中文' : 'English';
  $('lang').lang = lang() === 'en' ? 'zh-CN' : 'en';
  if (!$('workspace').hidden) { renderTabs(); redraw(); redrawCases(); drawProfile(); if (state.section === 'stock') loadStock(); }
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
if (session.key) { enterWorkspace(); askForSound(); }
hooks.signedOut = signOut;
