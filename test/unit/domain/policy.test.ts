import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, DEFAULT_POLICY, resolvePolicy } from '../../../shared/domain/policy';
import { PolicyOverrides } from '../../../shared/domain/schemas';

describe('the default policy', () => {
  it('sends the pre-reminder ten days before due and waives the penalties once the principal is paid', () => {
    expect(DEFAULT_POLICY.daysBeforeDue).toBe(10);
    expect(DEFAULT_POLICY.waivePenaltiesWhenPrincipalPaid).toBe(true);
  });

  it('climbs the ladder in increasing offsets and ends with the hand-off', () => {
    const offsets = DEFAULT_LADDER.map((step) => step.offsetDays);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(DEFAULT_LADDER.at(-1)!.action).toBe('hand_off');
    expect(DEFAULT_LADDER.map((step) => step.action)).toContain('formal_notice');
  });
});

describe('resolvePolicy', () => {
  it('keeps every default when there is nothing to override', () => {
    expect(resolvePolicy()).toEqual(DEFAULT_POLICY);
    expect(resolvePolicy(undefined, {}, undefined)).toEqual(DEFAULT_POLICY);
  });

  it('overrides only the fields a layer sets', () => {
    const policy = resolvePolicy({ daysBeforeDue: 7 });
    expect(policy).toEqual({ ...DEFAULT_POLICY, daysBeforeDue: 7 });
  });

  it('lets a later layer (the invoice) win over an earlier one (the creditor), field by field', () => {
    const creditor = { daysBeforeDue: 7, promiseGraceDays: 5, waivePenaltiesWhenPrincipalPaid: false };
    const invoice = { daysBeforeDue: 12 };
    const policy = resolvePolicy(creditor, invoice);
    expect(policy.daysBeforeDue).toBe(12);
    expect(policy.promiseGraceDays).toBe(5);
    expect(policy.waivePenaltiesWhenPrincipalPaid).toBe(false);
    expect(policy.disputeFollowUpDays).toBe(DEFAULT_POLICY.disputeFollowUpDays);
  });

  it('does not let an undefined field erase an earlier value', () => {
    const policy = resolvePolicy({ daysBeforeDue: 7 }, { daysBeforeDue: undefined, promiseGraceDays: undefined });
    expect(policy.daysBeforeDue).toBe(7);
    expect(policy.promiseGraceDays).toBe(DEFAULT_POLICY.promiseGraceDays);
  });

  it('lets zero override a default (zero is a value, not an absence)', () => {
    expect(resolvePolicy({ promiseGraceDays: 0 }).promiseGraceDays).toBe(0);
  });

  it('replaces the whole ladder rather than merging steps', () => {
    const ladder = [
      { offsetDays: 3, action: 'reminder_email' as const },
      { offsetDays: 20, action: 'hand_off' as const },
    ];
    expect(resolvePolicy({ ladder }).ladder).toEqual(ladder);
  });

  it('does not change the defaults seen by the next invoice', () => {
    const before = structuredClone(DEFAULT_POLICY);
    resolvePolicy({ daysBeforeDue: 3, ladder: [{ offsetDays: 1, action: 'hand_off' }] });
    expect(DEFAULT_POLICY).toEqual(before);
    expect(resolvePolicy().daysBeforeDue).toBe(10);
  });

  it('accepts the per-invoice overrides of a registration as a layer', () => {
    const overrides = PolicyOverrides.parse({ daysBeforeDue: 14, minimumGapDays: 2 });
    const policy = resolvePolicy({ promiseGraceDays: 4 }, overrides);
    expect(policy).toMatchObject({ daysBeforeDue: 14, minimumGapDays: 2, promiseGraceDays: 4 });
    expect(policy.ladder).toEqual(DEFAULT_LADDER);
  });
});
