export type {
  CustomerEmailContext,
  CustomerEmailKind,
  Penalties,
  RenderedEmail,
  TeamEmailContext,
  TeamEmailKind,
} from './kinds';
export { renderCustomerEmail } from './customer-emails';
export { renderTeamEmail } from './team-emails';
