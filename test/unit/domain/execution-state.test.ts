import { describe, expect, it } from 'vitest';
import { continuationDue, executionName, EXECUTION_LIMITS, initialState, SEND_ON_SECONDS, waitUntil } from '../../../shared/domain/execution-state';

const SAFE = /^[0-9A-Za-z_-]+$/;

describe('executionName', () => {
  it('keeps an ordinary invoice number readable, so operators can type it in the console', () => {
    expect(executionName('F-2027-0042', 1)).toBe('F-2027-0042-r1');
    expect(executionName('INV_2027_7', 2)).toBe('INV_2027_7-r2');
  });

  it('replaces characters Step Functions does not allow with underscores, keeping the number readable', () => {
    expect(executionName('F/2027.0042', 1)).toMatch(/^F_2027_0042-[0-9a-f]{6}-r1$/);
    expect(executionName('Facture n°12 #3', 1)).toMatch(/^Facture_n_12__3-[0-9a-f]{6}-r1$/);
    const name = executionName('a.b/c d:e*f?g"h<i>j|k\\l', 3);
    expect(name).toMatch(SAFE);
    expect(name.startsWith('a_b_c_d_e_f_g_h_i_j_k_l-')).toBe(true);
  });

  it('gives ids that differ only in replaced characters different names', () => {
    const names = new Set(['F/1', 'F.1', 'F_1', 'F 1'].map((id) => executionName(id, 1)));
    expect(names.size).toBe(4);
    expect(executionName('F_1', 1)).toBe('F_1-r1');
  });

  it('gives each revision of the same invoice its own name', () => {
    expect(executionName('F-1', 1)).not.toBe(executionName('F-1', 2));
    expect(executionName('F-1', 2)).toBe('F-1-r2');
  });

  it('keeps a 64-character id whole with its revision suffix', () => {
    const id = 'A'.repeat(60) + '/9.Z';
    expect(id).toHaveLength(64);
    const name = executionName(id, 1);
    expect(name).toMatch(new RegExp(`^${'A'.repeat(60)}_9_Z-[0-9a-f]{6}-r1$`));
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it.each([1, 99, 12_345, 10 ** 15, Number.MAX_SAFE_INTEGER])(
    'stays within 80 safe characters and ends with the suffix for revision %i',
    (revision) => {
      const name = executionName('x'.repeat(64), revision);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(SAFE);
      expect(name.endsWith(`-r${revision}`)).toBe(true);
      expect(name.startsWith('x')).toBe(true);
    },
  );

  it('trims the id, not the suffix, when a large revision would pass 80 characters', () => {
    const name = executionName('y'.repeat(64), 10 ** 15); // suffix "-r1000000000000000" is 18 characters
    expect(name).toBe('y'.repeat(62) + '-r1000000000000000');
    expect(name).toHaveLength(80);
  });
});

describe('initialState', () => {
  it('starts a new execution by planning, before the pre-reminder, at step 0', () => {
    expect(initialState('F-1', 2)).toEqual({
      invoiceId: 'F-1',
      revision: 2,
      step: 0,
      phase: 'before_pre_reminder',
      next: 'plan',
      // The first wait sends it on at once; its timeout (which every wait reads) only matters if that send is lost.
      wait: { seconds: SEND_ON_SECONDS },
    });
  });
});

describe('waitUntil', () => {
  const now = new Date('2027-03-12T08:00:00.000Z');

  it('waits the whole seconds until the wake-up time', () => {
    expect(waitUntil('2027-03-12T08:00:10.000Z', now)).toEqual({ until: '2027-03-12T08:00:10.000Z', seconds: 10 });
    expect(waitUntil('2027-03-22T08:00:00.000Z', now).seconds).toBe(10 * 86_400);
  });

  it('rounds a fraction of a second up, so the task never wakes early', () => {
    expect(waitUntil('2027-03-12T08:00:10.001Z', now).seconds).toBe(11);
    expect(waitUntil('2027-03-12T08:00:00.200Z', now).seconds).toBe(1);
  });

  it('waits at least one second for a wake-up time that is now or past (Step Functions needs a positive timeout)', () => {
    expect(waitUntil('2027-03-12T08:00:00.000Z', now).seconds).toBe(1);
    expect(waitUntil('2027-03-12T07:59:59.999Z', now).seconds).toBe(1);
    expect(waitUntil('2026-01-01T00:00:00.000Z', now).seconds).toBe(1);
  });

  it('reads a wake-up time written with an offset as the same instant', () => {
    expect(waitUntil('2027-03-12T09:00:30+01:00', now).seconds).toBe(30);
  });

  it('keeps the wake-up time it was given', () => {
    expect(waitUntil('2027-03-12T09:00:30+01:00', now).until).toBe('2027-03-12T09:00:30+01:00');
  });
});

describe("Step Functions' limits on one execution", () => {
  const start = '2027-01-01T00:00:00.000Z';
  const afterDays = (days: number) => new Date(Date.parse(start) + days * 86_400_000).toISOString();
  const at = (days: number) => new Date(afterDays(days));

  it('never waits longer than 300 days: a wake-up two years away is waited for in steps', () => {
    expect(waitUntil(afterDays(730), at(0))).toEqual({ until: afterDays(730), seconds: 300 * 86_400 });
    expect(waitUntil(afterDays(10), at(0)).seconds).toBe(10 * 86_400);
  });

  it('continues an execution whose next wake-up would come later than 350 days after its start, and not one a day earlier', () => {
    expect(continuationDue({ startedAt: start, parks: 3 }, afterDays(349), at(320))).toBe(false);
    expect(continuationDue({ startedAt: start, parks: 3 }, afterDays(351), at(320))).toBe(true);
    // A dispute's follow-up in two months, for an execution of ten months: the new revision waits for it.
    expect(continuationDue({ startedAt: start, parks: 40 }, afterDays(360), at(300))).toBe(true);
    expect(EXECUTION_LIMITS.maxAgeDays).toBeLessThan(365);
  });

  it('continues an execution that parked 500 times, long before 25,000 history events, whatever its age', () => {
    expect(continuationDue({ startedAt: start, parks: 499 }, afterDays(1), at(0))).toBe(false);
    expect(continuationDue({ startedAt: start, parks: 500 }, afterDays(1), at(0))).toBe(true);
    // Some 25 events a park, with room for the retries: half the limit.
    expect(EXECUTION_LIMITS.maxParks * 25).toBeLessThanOrEqual(25_000 / 2);
  });

  it('never asks a fresh revision to continue at once, however far its wake-up', () => {
    for (const days of [1, 299, 300, 301, 3000]) {
      expect(continuationDue({ startedAt: start, parks: 0 }, afterDays(days), at(0)), `${days} days`).toBe(false);
      // Even a revision whose start was delayed a week in the start buffer.
      expect(continuationDue({ startedAt: start, parks: 0 }, afterDays(days + 7), at(7)), `${days} days, a week late`).toBe(false);
    }
  });
});
