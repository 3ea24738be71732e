import type { BillingSettings } from '../billing';
import { getConfig } from './dependencies';

/** The calendar, policy and horizon the domain functions take, from the deployment configuration. */
export function billingSettings(): BillingSettings {
  const config = getConfig();
  return { calendar: config.calendar, policy: config.policy, executionHorizonDays: config.executionHorizonDays };
}
