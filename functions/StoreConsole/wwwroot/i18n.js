// The console's words in Chinese (the default) and English, with the same keys (a browser test checks).
const zh = {
  skip: '跳到内容', title: '门店工作台', signOut: '退出', signInTitle: '登录门店', storeId: '门店编号', storeKey: '门店密钥',
  keyHint: '密钥由总部发放，仅保存在本标签页，关闭即清除。', signIn: '登录', sections: '功能',
  orders: '订单', verify: '核销', stock: '库存',
  wrongKey: '门店编号或密钥不正确，请核对后重试。', signInFailed: '暂时无法登录，请稍后重试。',
  offline: '网络中断，正在重试…',
  tabPaid: '新订单', tabAccepted: '制作中', tabReady: '待取货', tabDelivery: '配送中', tabDone: '已完成', tabClosed: '已取消/已拒单',
  empty: '暂无订单', pickup: '自提', delivery: '配送', total: '合计', deliveryFee: '配送费', note: '备注', buyer: '顾客',
  placedAt: '下单', pickupBy: '取货截止', address: '地址', courier: '配送平台', rider: '骑手', flagged: '没有配送平台接单：请自行配送，或联系总部',
  accept: '接单', reject: '拒单', ready: '出餐', readyDelivery: '呼叫骑手', print: '打印小票', details: '订单详情',
  rejectTitle: '拒单', rejectReason: '原因（顾客会看到）', back: '返回',
  accepted: '已接单', readied: '已出餐', rejected: '已拒单，订单将转给其他门店',
  verifyTitle: '到店取货核销', codeLabel: '取货码（6 位数字）或扫码内容', lookUp: '查询订单', scan: '扫码', stopScan: '停止扫码',
  previewTitle: '请核对订单', confirmHandOver: '确认交付', handedOver: '核销成功，请交付商品',
  codeRequired: '请输入 6 位取货码', wrongCode: '取货码不正确', codeUsed: '该取货码已使用，商品已交付', wrongCodeTries: '取货码不正确，还可再试 {n} 次（之后本店核销暂停 15 分钟）',
  wrongStoreNamed: '这是「{store}」门店的订单，请顾客到该店取货',
  codeExpired: '该取货码已过期，订单正在取消并退款', wrongStore: '这是其他门店的订单，请顾客到下单门店取货',
  lockedOut: '错误次数过多，本店核销已暂停，15 分钟内恢复', inProgress: '另一位店员正在核销此订单',
  cameraUnavailable: '无法打开摄像头，请手动输入取货码',
  refunded: '件已退款', refundedTotal: '已退款', nothingToHandOver: '该订单的商品已全部退款，无需交付',
  stockTitle: '门店库存', sku: '商品', onHand: '在库', reserved: '已预留', available: '可售', soldOut: '售罄', adjust: '调整',
  delta: '数量变化', reason: '原因', apply: '提交', adjusted: '库存已调整', soldOutOn: '已标记售罄', soldOutOff: '已恢复销售',
  reasonRequired: '请填写原因', deltaInvalid: '请输入非零整数', somethingWrong: '操作失败，请重试',
  newOrder: '有新订单', status: {
    PendingPayment: '待支付', Paid: '待接单', Accepted: '制作中', ReadyForPickup: '待取货', PickedUp: '已取货', Dispatching: '呼叫骑手中',
    CourierAssigned: '骑手已接单', InTransit: '配送中', Delivered: '已送达', Cancelled: '已取消', Rejected: '已拒单（已转店）',
  },
  courierStatus: { Waiting: '等待接单', Assigned: '已接单', AtStore: '已到店', InTransit: '配送中', Delivered: '已送达', Cancelled: '已取消', Returning: '返还中', Returned: '已返还' },
  ticketTitle: '订单小票', ticketThanks: '谢谢惠顾', paper: '小票纸宽',
  soundOff: '点按页面任意处，开启新订单提示音', courierName: { dada: '达达', meituan: '美团配送', sf: '顺丰同城' },
  takingUntil: '接单至 {time}', taking: '接单中', notTaking: '暂停接单', takingAgain: '{time} 起恢复接单', colon: '：', comma: '，',
  closedReason: { closed: '门店已关闭接单', holiday: '休息日', outside_hours: '非营业时间', past_cutoff: '已过截单时间' },
  afterSales: '售后', afterSalesTitle: '售后申请', noCases: '暂无售后申请', damaged: '损坏', afterSalesOpen: '该订单有待处理的售后申请：请先在“售后”中处理',
  caseRefund: '仅退款', caseReturn: '退货退款', requestedAt: '申请', caseReason: '原因', caseAmount: '退款金额', answerBy: '处理截止',
  askedWhile: '申请时', photos: '凭证', photo: '照片', needsHeadOffice: '金额超过门店审批额度，需总部审批',
  caseApprove: '同意', caseReject: '拒绝', caseRejectTitle: '拒绝售后', receivedRestock: '已收货·可再售', receivedDamaged: '已收货·损坏',
  caseApproved: '已同意，退款将原路退回', caseRejected: '已拒绝', caseReceived: '已收货，退款将原路退回',
  slot: '预约时段', readyBy: '备好时间', readyForRider: '备好待骑手', deliveredBy: '送达时间',
  scheduled: '预约单 · {time} 开始备货', late: '已超时 {minutes} 分钟', atRisk: '有超时风险',
  cancelReason: '取消原因', cancelledAlert: '订单 #{id} 已取消', cancelReasons: {
    'cancelled by the consumer': '顾客取消', 'not paid in time': '超时未支付', 'not collected in time': '超时未取货',
    'no store could take the order': '没有门店能接单，已全额退款', 'undeliverable: returned to the store': '无法送达，商品已退回门店',
    'every unit refunded by after-sales': '售后已全额退款',
  },
  problem: {
    invalid_transition: '订单状态已变化，无法执行此操作', not_found: '找不到该订单或记录', conflict: '有人同时在操作，请稍后重试',
    validation_failed: '填写的内容不正确，请检查后重试', service_unavailable: '系统繁忙，请稍后重试', rate_limited: '操作太频繁，请稍后再试',
    after_sales_open: '该订单有待处理的售后申请：请先在“售后”中处理', approval_limit_exceeded: '金额超过门店审批额度，需总部审批',
    nothing_to_hand_over: '该订单的商品已全部退款，无需交付', forbidden: '没有权限执行此操作', internal_error: '系统出错，请稍后重试',
  },
  caseApproveTitle: '同意售后', caseApproveConfirm: '同意退款', caseApproveRefund: '将 {amount} 原路退回给顾客（{case}）？',
  caseApproveReturn: '同意顾客退货（{case}）？收到商品后退回 {amount}。', newCase: '新的售后申请 {case}',
  stage: { WithHeadOffice: '已转总部审批', Requested: '待处理', AwaitingReturn: '待退回商品', Refunding: '退款中', Refunded: '已退款', RefundFailed: '退款失败', Rejected: '已拒绝', Withdrawn: '已撤销', Closed: '已关闭' },
};

const en = {
  skip: 'Skip to content', title: 'Store console', signOut: 'Sign out', signInTitle: 'Sign in to your store', storeId: 'Store ID', storeKey: 'Store key',
  keyHint: 'Head office issues the key. It stays in this tab only and is cleared when the tab closes.', signIn: 'Sign in', sections: 'Sections',
  orders: 'Orders', verify: 'Pickup', stock: 'Stock',
  wrongKey: 'Wrong store ID or key. Check both and try again.', signInFailed: 'Cannot sign in right now; try again shortly.',
  offline: 'Connection lost, retrying…',
  tabPaid: 'New', tabAccepted: 'Preparing', tabReady: 'Ready', tabDelivery: 'Delivering', tabDone: 'Done', tabClosed: 'Cancelled/Rejected',
  empty: 'No orders', pickup: 'Pickup', delivery: 'Delivery', total: 'Total', deliveryFee: 'Delivery fee', note: 'Note', buyer: 'Buyer',
  placedAt: 'Placed', pickupBy: 'Collect by', address: 'Address', courier: 'Courier', rider: 'Rider', flagged: 'No courier platform took it: deliver it yourselves, or call head office',
  accept: 'Accept', reject: 'Reject', ready: 'Ready', readyDelivery: 'Call a rider', print: 'Print ticket', details: 'Order details',
  rejectTitle: 'Reject order', rejectReason: 'Reason (the buyer sees it)', back: 'Back',
  accepted: 'Accepted', readied: 'Marked ready', rejected: 'Rejected; the order goes to another store',
  verifyTitle: 'Hand over a pickup', codeLabel: 'Pickup code (6 digits) or scanned QR text', lookUp: 'Look up', scan: 'Scan', stopScan: 'Stop scanning',
  previewTitle: 'Check the order', confirmHandOver: 'Confirm hand-over', handedOver: 'Verified: hand the goods over',
  codeRequired: 'Enter the 6-digit pickup code', wrongCode: 'Wrong pickup code', codeUsed: 'This code was already used; the goods were handed over',
  wrongCodeTries: 'Wrong pickup code: {n} more tries before pickups here pause for 15 minutes',
  wrongStoreNamed: 'This is an order of the {store} store: the buyer must collect it there',
  codeExpired: 'This code has expired; the order is being cancelled and refunded', wrongStore: "This is another store's order: the buyer must collect it there",
  lockedOut: 'Too many wrong codes: pickups at this store are paused for up to 15 minutes', inProgress: 'Another clerk is verifying this order',
  cameraUnavailable: 'The camera is not available: type the code',
  refunded: 'refunded', refundedTotal: 'Refunded', nothingToHandOver: 'Every unit of this order was refunded: nothing to hand over',
  stockTitle: 'Store stock', sku: 'Item', onHand: 'On hand', reserved: 'Reserved', available: 'Available', soldOut: 'Sold out', adjust: 'Adjust',
  delta: 'Change', reason: 'Reason', apply: 'Apply', adjusted: 'Stock adjusted', soldOutOn: 'Marked sold out', soldOutOff: 'Back on sale',
  reasonRequired: 'Give a reason', deltaInvalid: 'Enter a whole number other than 0', somethingWrong: 'That did not work; try again',
  newOrder: 'New order', status: {
    PendingPayment: 'Awaiting payment', Paid: 'New', Accepted: 'Preparing', ReadyForPickup: 'Ready for pickup', PickedUp: 'Picked up', Dispatching: 'Finding a rider',
    CourierAssigned: 'Rider assigned', InTransit: 'On the way', Delivered: 'Delivered', Cancelled: 'Cancelled', Rejected: 'Rejected (sent on)',
  },
  courierStatus: { Waiting: 'Waiting', Assigned: 'Assigned', AtStore: 'At the store', InTransit: 'On the way', Delivered: 'Delivered', Cancelled: 'Cancelled', Returning: 'Returning', Returned: 'Returned' },
  ticketTitle: 'Order ticket', ticketThanks: 'Thank you', paper: 'Ticket paper',
  soundOff: 'Tap anywhere on the page to turn on the new-order sound', courierName: { dada: 'Dada', meituan: 'Meituan', sf: 'SF Express' },
  takingUntil: 'taking orders until {time}', taking: 'taking orders', notTaking: 'not taking orders', takingAgain: 'again from {time}',
  colon: ': ', comma: ', ',
  closedReason: { closed: 'switched off', holiday: 'day off', outside_hours: 'outside opening hours', past_cutoff: 'past the last order time' },
  afterSales: 'After-sales', afterSalesTitle: 'After-sales requests', noCases: 'No after-sales requests', damaged: 'Damaged',
  afterSalesOpen: 'An after-sales request of this order is waiting: answer it under After-sales first',
  caseRefund: 'Refund only', caseReturn: 'Return and refund', requestedAt: 'Asked', caseReason: 'Reason', caseAmount: 'Refund', answerBy: 'Answer by',
  askedWhile: 'Asked while', photos: 'Photos', photo: 'Photo', needsHeadOffice: "Above the store's approval limit: head office decides",
  caseApprove: 'Approve', caseReject: 'Reject', caseRejectTitle: 'Reject the request', receivedRestock: 'Received, back on sale', receivedDamaged: 'Received, damaged',
  caseApproved: 'Approved; the money goes back', caseRejected: 'Rejected', caseReceived: 'Received; the money goes back',
  slot: 'Slot', readyBy: 'Ready by', readyForRider: 'Ready for rider', deliveredBy: 'Deliver by',
  scheduled: 'Scheduled · start at {time}', late: 'Late by {minutes} min', atRisk: 'At risk of being late',
  cancelReason: 'Why cancelled', cancelledAlert: 'Order #{id} was cancelled', cancelReasons: {
    'cancelled by the consumer': 'cancelled by the buyer', 'not paid in time': 'not paid in time', 'not collected in time': 'not collected in time',
    'no store could take the order': 'no store could take it; refunded in full', 'undeliverable: returned to the store': 'undeliverable; back at the store',
    'every unit refunded by after-sales': 'every unit refunded by after-sales',
  },
  problem: {
    invalid_transition: 'The order has moved on: that cannot be done now', not_found: 'That order or record is not there',
    conflict: 'Someone else is changing it; try again shortly', validation_failed: 'Something filled in is not valid; check it and try again',
    service_unavailable: 'Busy right now; try again shortly', rate_limited: 'Too many tries; wait a moment',
    after_sales_open: 'An after-sales request of this order is waiting: answer it under After-sales first',
    approval_limit_exceeded: "Above the store's approval limit: head office decides",
    nothing_to_hand_over: 'Every unit of this order was refunded: nothing to hand over', forbidden: 'Not allowed',
    internal_error: 'Something went wrong on our side; try again shortly',
  },
  caseApproveTitle: 'Approve the request', caseApproveConfirm: 'Approve', caseApproveRefund: 'Refund {amount} to the buyer ({case})?',
  caseApproveReturn: 'Accept the return ({case})? {amount} is refunded once the goods are back.', newCase: 'New after-sales request {case}',
  stage: { WithHeadOffice: 'With head office', Requested: 'To answer', AwaitingReturn: 'Awaiting the goods', Refunding: 'Refunding', Refunded: 'Refunded', RefundFailed: 'Refund failed', Rejected: 'Rejected', Withdrawn: 'Withdrawn', Closed: 'Closed' },
};

/** Both languages; exported so a test can hold them to the same keys. */
export const dictionaries = { zh, en };
let language = localStorage.getItem('console.lang') === 'en' ? 'en' : 'zh';

export const lang = () => language;

export function setLang(value) {
  language = value === 'en' ? 'en' : 'zh';
  localStorage.setItem('console.lang', language);
}

/** The word for key (a dotted path such as "status.Paid"), in the current language. */
export function t(key) {
  const find = dict => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), dict);
  return find(dictionaries[language]) ?? find(zh) ?? key;
}

/** Writes the static words of the page: every element with data-i18n, and labels in data-i18n-label. */
export function translatePage() {
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
