export type {
  CustomerEmailContext,
  CustomerEmailKind,
  RenderedEmail,
  TeamEmailContext,
  TeamEmailKind,
} from './kinds';
export { renderCustomerEmail } from './customer-emails';
export { renderTeamEmail } from './team-emails';
