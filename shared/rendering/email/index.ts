export type {
  CustomerEmailContext,
  CustomerEmailKind,
  RenderedEmail,
  TeamEmailContext,
  TeamEmailKind,
} from './kinds';
export { renderCustomerEmail } from './customer-emails';
export { renderGroupedCustomerEmail, type GroupedEmailContext, type GroupedEmailKind, type GroupedInvoice } from './grouped-emails';
export { renderTeamEmail } from './team-emails';
