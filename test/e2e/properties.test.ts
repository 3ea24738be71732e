/**
 * The seeded property suite on the local runtime as it runs: a hundred invoices through random events, every
 * invariant checked (test/e2e/support/random-world.ts, test/e2e/support/invariants.ts).
 */
import { describe, it } from 'vitest';
import { checkRandomWorld } from './support/random-world';

describe('a hundred invoices through random events', () => {
  it('keep every invariant, and nothing answers a 5xx', () => checkRandomWorld(false), 600_000);
});
