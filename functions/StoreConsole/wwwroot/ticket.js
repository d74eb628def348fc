// The ticket: browser print, paper width from the header's choice.
import { t } from '/console/i18n.js';
import { $, state, session, h, fill, yuan, lineLabel, when, shortId } from '/console/core.js';

// ---- the ticket (browser print; paper width from the header's choice) ----------------------
export function printTicket(order) {
  const ticket = $('ticket');
  fill(ticket,
    h('h2', {}, `${t('ticketTitle')} · ${state.profile?.name ?? session.storeId}`),
    h('p', {}, `#${shortId(order.orderId)} · ${t(order.mode)}`),
    h('p', { class: 'small' }, order.orderId),
    h('p', {}, when(order.createdAt)),
    h('table', {}, order.items.filter(l => l.handOverQuantity > 0 || l.refundedQuantity > 0)
      .map(l => h('tr', {}, h('td', {}, lineLabel(l)), h('td', {}, yuan(l.lineTotalFen))))),
    order.deliveryFeeFen ? h('p', {}, `${t('deliveryFee')} ${yuan(order.deliveryFeeFen)}`) : null,
    order.refundedFen ? h('p', {}, `${t('refundedTotal')} ${yuan(order.refundedFen)}`) : null,
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
