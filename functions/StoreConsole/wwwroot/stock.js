// The store's stock: counts, sold-out, corrections with a reason.
import { t } from '/console/i18n.js';
import { $, api, h, restoreFocus, problemText } from '/console/core.js';

// ---- stock --------------------------------------------------------------------------------
export async function loadStock() {
  const answer = await api('GET', '/stock');
  if (!answer.ok) return;
  $('stock-table').tBodies[0].replaceChildren(...answer.data.items.map(stockRow));
}

function stockRow(row) {
  const label = row.name ? `${row.name} (${row.sku})` : row.sku;
  const id = `stock-${row.sku}`;
  // An answer replaces only its own row, so a clerk typing in another row loses nothing.
  const show = (answer, ok) => {
    const focused = document.activeElement?.id;
    if (answer.ok) tr.replaceWith(stockRow(answer.data));
    stockMessage(answer.ok ? ok : 'somethingWrong', answer.ok ? 'ok' : 'error');
    restoreFocus(focused, 'stock-message');
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
      else { $('stock-message').textContent = problemText(answer); $('stock-message').className = 'message error'; }
    },
  }, delta, reason, h('button', { type: 'submit', 'aria-label': `${t('apply')}: ${label}` }, t('apply')));
  // Each count carries its column's name, which a phone shows above it (the table's header is hidden there).
  const count = (key, value, className) => h('td', { 'data-label': t(key), class: className }, value);
  const tr = h('tr', { class: row.soldOut ? 'sold-out' : '' },
    h('th', { scope: 'row' }, label), count('onHand', row.onHand), count('reserved', row.reserved), count('available', row.available, 'strong'),
    count('damaged', row.damaged), count('soldOut', soldOut), h('td', { class: 'adjust-cell' }, form));
  return tr;
}

function stockMessage(key, kind) {
  const el = $('stock-message');
  el.textContent = t(key);
  el.className = `message ${kind}`;
}
