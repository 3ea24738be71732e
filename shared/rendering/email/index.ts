export type {
  CustomerEmailContext,
  CustomerEmailKind,
  Penalties,
  RenderedEmail,
  TeamEmailContext,
  TeamEmailKind,
} from './kinds';
export { renderCustomerEmail, formatDate, actionUrl, disputeReasonLabel, paymentMethodLabel } from './customer-emails';
export { renderTeamEmail } from './team-emails';
export { escapeHtml, html, layout, button, factsTable, type SafeHtml } from './html';
