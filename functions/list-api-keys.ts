/** GET /api-keys — the billing API's keys (operator): name, creation, revocation, and the id that names each. */
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, json } from '../shared/lambda/http';

export const handler = httpHandler(async () => json(200, { apiKeys: await getDependencies().store.listApiKeys() }));
