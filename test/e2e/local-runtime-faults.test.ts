/**
 * The local runtime's fault mode (infra/local/faults.ts): how it is asked for, and that its choices are reproducible.
 * What the product does under the faults is the property suite's business (test/e2e/properties-faults.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_RATES, FaultInjector, parseFaultRates } from '../../infra/local/faults';

describe('parseFaultRates', () => {
  it('is off unless asked, and "default" gives every kind of fault', () => {
    expect(parseFaultRates(undefined)).toBeUndefined();
    expect(parseFaultRates('off')).toBeUndefined();
    expect(parseFaultRates('default')).toEqual(DEFAULT_FAULT_RATES);
  });

  it('takes chosen rates, the other kinds staying at zero', () => {
    expect(parseFaultRates('sesOutage=0.5, sfnThrottle=1')).toEqual({ ...zero(), sesOutage: 0.5, sfnThrottle: 1 });
  });

  it('refuses an unknown kind or a rate outside 0..1, naming the kinds', () => {
    expect(() => parseFaultRates('s3Outage=0.1')).toThrow(/dynamodbThrottle/);
    expect(() => parseFaultRates('sesThrottle=2')).toThrow(/0 <= rate <= 1/);
  });
});

describe('FaultInjector', () => {
  it('makes the same choices from the same seed, and counts them', () => {
    const choices = (seed: number) => {
      const faults = new FaultInjector({ ...zero(), sesThrottle: 0.3 }, seed);
      return { picks: Array.from({ length: 200 }, () => faults.strikes('sesThrottle')), injected: faults.injected.sesThrottle };
    };
    const first = choices(42);
    expect(choices(42)).toEqual(first);
    expect(choices(43).picks).not.toEqual(first.picks);
    expect(first.injected).toBe(first.picks.filter(Boolean).length);
    expect(first.injected).toBeGreaterThan(40);
    expect(first.injected).toBeLessThan(80);
  });

  it('never strikes at rate 0 and always at rate 1', () => {
    const faults = new FaultInjector({ ...zero(), sfnThrottle: 1 }, 7);
    expect(Array.from({ length: 50 }, () => faults.strikes('dynamodbThrottle')).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, () => faults.strikes('sfnThrottle')).every(Boolean)).toBe(true);
  });
});

function zero() {
  return Object.fromEntries(Object.keys(DEFAULT_FAULT_RATES).map((kind) => [kind, 0])) as unknown as typeof DEFAULT_FAULT_RATES;
}
