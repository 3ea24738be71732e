/**
 * The seeded property suite in the local runtime's fault mode (infra/local/faults.ts): the same random world and the
 * same invariants while DynamoDB throttles, answers slowly and races, SES throttles and goes down, Step Functions
 * throttles, and a handler dies right after claiming an email (that email may be lost by design: the team is told).
 */
import { describe, it } from 'vitest';
import { checkRandomWorld } from './support/random-world';

describe('a hundred invoices through random events, under injected faults', () => {
  it('keep every invariant, every kind of fault having struck', () => checkRandomWorld(true), 600_000);
});
