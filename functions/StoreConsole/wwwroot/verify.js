// Verification at the counter: the order a code opens first, then the hand-over.
import { t } from '/console/i18n.js';
import { $, state, api, h, fill, yuan, lineLabel, when, shortId } from '/console/core.js';
import { redraw } from '/console/queue.js';

const VERIFY_ERRORS = {
  not_found: 'wrongCode', pickup_code_used: 'codeUsed', pickup_code_expired: 'codeExpired', wrong_store: 'wrongStore',
  rate_limited: 'lockedOut', conflict: 'inProgress', validation_failed: 'codeRequired', after_sales_open: 'afterSalesOpen',
  nothing_to_hand_over: 'nothingToHandOver',
};

// ---- verification at the counter ------------------------------------------------------------
function codeOf(input) {
  const value = input.trim();
  return /^\d{6}$/.test(value) || value.startsWith('o2o-pickup:') ? value : null;
}

function verifyMessage(key, kind, text) {
  const el = $('verify-message');
  el.textContent = text ?? (key ? t(key) : '');
  el.className = `message ${kind ?? ''}`;
}

/** A refused code, in the counter's words: with the tries left before the lockout, or the store the code belongs to. */
function refused(answer) {
  const problem = answer.data ?? {};
  const key = VERIFY_ERRORS[problem.code] ?? 'somethingWrong';
  if (key === 'wrongCode' && Number.isInteger(problem.triesLeft)) return verifyMessage(key, 'error', t('wrongCodeTries').replace('{n}', problem.triesLeft));
  if (key === 'wrongStore' && problem.storeName) return verifyMessage(key, 'error', t('wrongStoreNamed').replace('{store}', problem.storeName));
  return verifyMessage(key, 'error');
}

export async function lookUp(event) {
  event.preventDefault();
  const code = codeOf($('code').value);
  $('preview').hidden = true;
  if (!code) { verifyMessage('codeRequired', 'error'); return; }
  verifyMessage('');
  const answer = await api('POST', '/pickups/preview', { code });
  if (!answer.ok) { refused(answer); return; }
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

export async function confirmHandOver() {
  if (!state.verifying) return;
  $('confirm').disabled = true;
  const answer = await api('POST', '/pickups/verify', { code: state.verifying });
  $('confirm').disabled = false;
  $('preview').hidden = true;
  state.verifying = null;
  if (answer.ok) {
    verifyMessage('handedOver', 'ok');
    $('code').value = '';
    redraw();
  } else {
    refused(answer);
  }
  $('code').focus();
}

let scanning = null;
export async function startScan() {
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

export function stopScan() {
  if (scanning) {
    clearInterval(scanning.timer);
    scanning.stream.getTracks().forEach(track => track.stop());
    scanning = null;
  }
  $('camera').hidden = true;
  $('scan').textContent = t('scan');
}
