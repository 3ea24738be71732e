import { describe, expect, it } from 'vitest';
import { dateTimeFormat, numberFormat } from '../../../shared/domain/intl-formats';

describe('Intl formatters, built once per locale and options', () => {
  it('gives the same formatter again for the same locale and options', () => {
    const first = numberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    expect(numberFormat('fr-FR', { style: 'currency', currency: 'EUR' })).toBe(first);
    expect(dateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric' })).toBe(dateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric' }));
  });

  it('gives a different formatter when the locale or any option differs, so no amount is written in another format', () => {
    const euros = numberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    expect(numberFormat('en-GB', { style: 'currency', currency: 'EUR' })).not.toBe(euros);
    expect(numberFormat('fr-FR', { style: 'currency', currency: 'USD' })).not.toBe(euros);
    expect(numberFormat('fr-FR', { style: 'currency', currency: 'USD' }).format(1)).toMatch(/\$/);
    expect(dateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit' }).format(new Date('2027-01-15T23:30:00Z'))).toMatch(/^00/);
    expect(dateTimeFormat('fr-FR', { timeZone: 'UTC', hour: '2-digit' }).format(new Date('2027-01-15T23:30:00Z'))).toMatch(/^23/);
  });

  it('throws Intl’s RangeError for an unknown currency or time zone every time, caching nothing for it', () => {
    expect(() => numberFormat('en-GB', { style: 'currency', currency: 'EURO' })).toThrow(RangeError);
    expect(() => numberFormat('en-GB', { style: 'currency', currency: 'EURO' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('keeps formatting correctly after more distinct formats than it keeps (the cache is bounded, not the answers)', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 300);
    for (const timeZone of zones) dateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    const at = new Date('2027-06-15T12:00:00Z');
    expect(dateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(at)).toBe('21');
    expect(dateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(at)).toBe('08');
  });
});
