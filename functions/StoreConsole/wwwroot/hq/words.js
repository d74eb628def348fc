// Head office's words in Chinese (the default) and English, with the same keys (a browser test checks).
import { lang, setLang } from '/console/i18n.js';

const zh = {
  skip: '跳到内容', title: '总部管理台', signOut: '退出', signInTitle: '总部登录', signIn: '使用 Microsoft Entra ID 登录',
  signInHint: '使用公司的 Microsoft Entra ID 账号登录；能做什么由账号的角色（运营、财务、管理员）决定。',
  signInFailed: '登录失败，请重试。', notConfigured: '总部登录尚未配置（HeadOffice__Authority）。', noRole: '该账号没有总部角色，请联系管理员分配。',
  expired: '登录已过期，请重新登录。', unavailable: '暂时无法连接 Microsoft Entra ID，请稍后重试。', sections: '功能', cases: '待总部审批', stores: '门店', audit: '操作记录',
  casesTitle: '超出门店权限的售后，最早的在前', storesTitle: '门店', auditTitle: '最近 7 天的总部操作',
  roles: { operator: '运营', finance: '财务', admin: '管理员' },
  noCases: '没有待总部审批的售后', order: '订单', store: '门店', amount: '退款金额', reason: '原因', requested: '申请时间',
  refund: '仅退款', return: '退货退款', approve: '同意', reject: '拒绝', back: '返回',
  approveTitle: '总部同意售后', approveConfirm: '同意退款', approveText: '将 {amount} 原路退回给顾客（{case}）？',
  rejectTitle: '总部拒绝售后', rejectReason: '原因（顾客会看到）', approved: '已同意，退款处理中', rejected: '已拒绝',
  needsFinance: '审批需要财务角色', open: '营业中', closed: '已暂停接单', radius: '配送半径（米）', autoAccept: '自动接单', save: '保存',
  saved: '已保存', issueKey: '发放新密钥', keyTitle: '新的门店密钥', keyOnce: '密钥只显示这一次，请立即交给门店；旧密钥在宽限期后失效。',
  done: '已交给门店', needsOperator: '修改门店需要运营角色', needsAdmin: '发放密钥需要管理员角色',
  export: '导出 CSV', at: '时间', staff: '操作人', action: '操作', target: '对象', outcome: '结果', change: '变更',
  outcomes: { done: '完成', refused: '被拒绝', pending: '未确认' }, noAudit: '最近 7 天没有总部操作', created: '新建',
  somethingWrong: '操作失败，请稍后重试。',
  problem: {
    forbidden: '你的角色不能做这项操作。', validation_failed: '填写的内容不正确，请检查。', not_found: '找不到，可能已被处理。',
    invalid_transition: '该售后已被处理，列表已刷新。', conflict: '别人刚刚修改过，请刷新后重试。', unauthorized: '登录已过期，请重新登录。',
  },
};
const en = {
  skip: 'Skip to content', title: 'Head office', signOut: 'Sign out', signInTitle: 'Head-office sign-in', signIn: 'Sign in with Microsoft Entra ID',
  signInHint: "Sign in with your company's Microsoft Entra ID account; what you may do follows its roles (operator, finance, admin).",
  signInFailed: 'Sign-in failed; please try again.', notConfigured: 'Head-office sign-in is not configured (HeadOffice__Authority).',
  noRole: 'This account has no head-office role; ask an admin to assign one.',
  expired: 'Your sign-in expired; please sign in again.', unavailable: 'Microsoft Entra ID cannot be reached right now; please try again shortly.', sections: 'Sections', cases: 'For head office', stores: 'Stores', audit: 'Audit trail',
  casesTitle: "After-sales above a store's limit, oldest first", storesTitle: 'Stores', auditTitle: "Head office's changes, last 7 days",
  roles: { operator: 'Operator', finance: 'Finance', admin: 'Admin' },
  noCases: 'No after-sales waits for head office', order: 'Order', store: 'Store', amount: 'Refund', reason: 'Reason', requested: 'Requested',
  refund: 'Refund only', return: 'Return and refund', approve: 'Approve', reject: 'Reject', back: 'Back',
  approveTitle: 'Approve as head office', approveConfirm: 'Approve the refund', approveText: 'Refund {amount} to the buyer ({case})?',
  rejectTitle: 'Reject as head office', rejectReason: 'Reason (the buyer sees it)', approved: 'Approved; the refund is under way', rejected: 'Rejected',
  needsFinance: 'Approving needs the finance role', open: 'Taking orders', closed: 'Paused', radius: 'Delivery radius (m)', autoAccept: 'Auto-accept',
  save: 'Save', saved: 'Saved', issueKey: 'Issue a new key', keyTitle: 'New store key',
  keyOnce: "The key is shown this once: hand it to the store now. The old key stops after the grace period.",
  done: 'Handed to the store', needsOperator: 'Editing stores needs the operator role', needsAdmin: 'Issuing keys needs the admin role',
  export: 'Export CSV', at: 'When', staff: 'Who', action: 'Action', target: 'Target', outcome: 'Outcome', change: 'Change',
  outcomes: { done: 'Done', refused: 'Refused', pending: 'Unconfirmed' }, noAudit: 'No head-office change in the last 7 days', created: 'Created',
  somethingWrong: 'That did not work; please try again shortly.',
  problem: {
    forbidden: 'Your role may not do this.', validation_failed: 'Something entered is not valid; please check it.',
    not_found: 'Not found; it may have been handled.', invalid_transition: 'This case was already answered; the list is refreshed.',
    conflict: 'Someone changed it just now; refresh and try again.', unauthorized: 'Your sign-in expired; please sign in again.',
  },
};
export const dictionaries = { zh, en };
// One language for both consoles (and their shared helpers' dates): the store console's choice.
export { lang, setLang };

export function t(key, values = {}) {
  const find = dict => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), dict);
  const text = find(dictionaries[lang()]) ?? find(zh) ?? key;
  return typeof text === 'string' ? text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '') : text;
}
export function translatePage() {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
