/** POST /invoices/{invoiceId}/waive — an operator gives up the penalties and the indemnity, with a reason kept as evidence. */
import { waivePenalties } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceClaim } from '../shared/domain/invoice-claim';
import { invoiceView } from '../shared/domain/invoice';
import { WaiveBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, WaiveBody);
  const deps = getDependencies();
  const config = getConfig();
  const { record } = await waivePenalties(deps, config, invoiceId, body);
  return json(200, { ...invoiceView(record), claim: invoiceClaim(record, config.calendar, deps.clock.now()) });
});
