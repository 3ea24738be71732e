/**
 * The statutory ceiling on payment terms (shared/domain/payment-terms.ts): every date below is counted by hand in a
 * comment, so that a test checks the law and not the code's own arithmetic. A property then ties the warning to the
 * limit over random issue dates, terms and customers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/domain/calendar';
import type { CustomerKind } from '../../../shared/domain/schemas';
import {
  legalDueDateLimit,
  paymentTermWarnings,
  statesEndOfMonth,
} from '../../../shared/domain/payment-terms';

const COMMERCE = '(Code de commerce L441-10 I)';
const PUBLIC_PROCUREMENT = '(Code de la commande publique R2192-10)';
const STIPULATED = '45 jours fin de mois';

const business = (issueDate: string, dueDate: string, paymentTerms?: string) =>
  ({ issueDate, dueDate, kind: 'business', paymentTerms }) as const;
const publicBuyer = (issueDate: string, dueDate: string) => ({ issueDate, dueDate, kind: 'public' }) as const;

describe('business customers without a stipulated 45 days end of month', () => {
  // 2027-03-01 + 30 = 2027-03-31 (March has 31 days), + 30 = 2027-04-30 (April has 30): 60 days.
  it('accept a due date exactly 60 days after the issue date', () => {
    expect(legalDueDateLimit(business('2027-03-01', '2027-04-30'))).toEqual({
      latest: '2027-04-30',
      rule: `60 days from the issue date 2027-03-01 ${COMMERCE}`,
    });
    expect(paymentTermWarnings(business('2027-03-01', '2027-04-30'))).toEqual([]);
  });

  it('warn about a due date 61 days after the issue date and point to the 45 days end of month term', () => {
    // 61 days: 2027-05-01, before the 2027-05-15 that 45 days end of month would allow (see below).
    expect(paymentTermWarnings(business('2027-03-01', '2027-05-01'))).toEqual([
      `Payment term of 61 days (due 2027-05-01) exceeds 60 days from the issue date 2027-03-01 ${COMMERCE}.` +
        ' It would fit a term of 45 days end of month, lawful only if stipulated in the contract' +
        ' (give it in terms.paymentTerms).',
    ]);
  });

  it('warn about 75 days even though stipulating 45 days end of month would have allowed them', () => {
    // Reading (a): end of March 2027-03-31 + 45 = 2027-05-15, i.e. 75 days after 2027-03-01.
    const [warning] = paymentTermWarnings(business('2027-03-01', '2027-05-15', '60 jours net'));
    expect(warning).toContain(`75 days (due 2027-05-15) exceeds 60 days from the issue date 2027-03-01 ${COMMERCE}.`);
    expect(warning).toContain('It would fit a term of 45 days end of month, lawful only if stipulated');
  });

  it('leave out the 45 days end of month hint when even that term would not allow the due date', () => {
    // Both readings end at 2027-05-15 at the latest (see below), so 2027-05-16 is beyond any lawful term.
    expect(paymentTermWarnings(business('2027-03-01', '2027-05-16'))).toEqual([
      `Payment term of 76 days (due 2027-05-16) exceeds 60 days from the issue date 2027-03-01 ${COMMERCE}.`,
    ]);
  });
});

describe('business customers with a stipulated 45 days end of month', () => {
  // Issue 2027-03-01. Reading (a): end of March 2027-03-31, + 30 = 2027-04-30, + 15 = 2027-05-15.
  // Reading (b): 2027-03-01 + 45 = 2027-04-15, end of that month 2027-04-30. 60 days: 2027-04-30. Latest: (a).
  it('allow the later reading, the end of the issue month plus 45 days', () => {
    const input = business('2027-03-01', '2027-05-15', STIPULATED);
    expect(legalDueDateLimit(input)).toEqual({
      latest: '2027-05-15',
      rule:
        '45 days end of month, read as the end of the issue month plus 45 days:' +
        ` 2027-05-15 for the issue date 2027-03-01 ${COMMERCE}`,
    });
    expect(paymentTermWarnings(input)).toEqual([]);
  });

  it('warn one day beyond the later reading, naming it', () => {
    expect(paymentTermWarnings(business('2027-03-01', '2027-05-16', STIPULATED))).toEqual([
      'Payment term of 76 days (due 2027-05-16) exceeds 45 days end of month, read as the end of the issue month plus' +
        ` 45 days: 2027-05-15 for the issue date 2027-03-01 ${COMMERCE}.`,
    ]);
  });

  it('allow the other reading when it is the later one, 45 days then the end of that month', () => {
    // Issue 2027-03-31. (a): 2027-03-31 + 45 = 2027-05-15. (b): 2027-05-15, end of May 2027-05-31.
    // 60 days: 2027-03-31 + 30 = 2027-04-30, + 30 = 2027-05-30. Latest: (b), 61 days.
    expect(legalDueDateLimit(business('2027-03-31', '2027-05-31', STIPULATED))).toEqual({
      latest: '2027-05-31',
      rule:
        '45 days end of month, read as 45 days then the end of that month:' +
        ` 2027-05-31 for the issue date 2027-03-31 ${COMMERCE}`,
    });
    expect(paymentTermWarnings(business('2027-03-31', '2027-05-31', STIPULATED))).toEqual([]);
    expect(paymentTermWarnings(business('2027-03-31', '2027-06-01', STIPULATED))).toHaveLength(1);
  });

  it('keep 60 days for an issue date of 31 January in a non-leap year, where both readings are shorter', () => {
    // Issue 2027-01-31, already the end of its month. (a) and (b) start alike: + 28 = 2027-02-28, + 17 = 2027-03-17;
    // (b) then goes to 2027-03-31. 60 days: + 29 = 2027-03-01, + 31 = 2027-04-01.
    expect(legalDueDateLimit(business('2027-01-31', '2027-04-01', STIPULATED))).toEqual({
      latest: '2027-04-01',
      rule: `60 days from the issue date 2027-01-31 ${COMMERCE}`,
    });
    expect(paymentTermWarnings(business('2027-01-31', '2027-04-01', STIPULATED))).toEqual([]);
    expect(paymentTermWarnings(business('2027-01-31', '2027-04-02', STIPULATED))).toHaveLength(1);
  });

  it('keep 60 days for an issue date of 31 January in a leap year, where it ties with the second reading', () => {
    // Issue 2028-01-31. (a): + 29 = 2028-02-29, + 16 = 2028-03-16. (b): 2028-03-16, end of March 2028-03-31.
    // 60 days: + 29 = 2028-02-29, + 31 = 2028-03-31, the same day as (b): the plain 60 days is named.
    expect(legalDueDateLimit(business('2028-01-31', '2028-03-31', STIPULATED))).toEqual({
      latest: '2028-03-31',
      rule: `60 days from the issue date 2028-01-31 ${COMMERCE}`,
    });
    expect(paymentTermWarnings(business('2028-01-31', '2028-03-31', STIPULATED))).toEqual([]);
    expect(paymentTermWarnings(business('2028-01-31', '2028-04-01', STIPULATED))).toHaveLength(1);
  });

  it.each([
    // End of February 2027-02-28, + 31 = 2027-03-31, + 14 = 2027-04-14. 60 days: 2027-04-11. (b): end of March.
    ['2027-02-10', '2027-04-14'],
    // End of February 2028-02-29, + 31 = 2028-03-31, + 14 = 2028-04-14 too. 60 days: 2028-04-10. (b): end of March.
    ['2028-02-10', '2028-04-14'],
  ])('count from the end of February for an issue date of %s, up to %s', (issueDate, latest) => {
    expect(legalDueDateLimit(business(issueDate, latest, STIPULATED)).latest).toBe(latest);
    expect(paymentTermWarnings(business(issueDate, latest, STIPULATED))).toEqual([]);
    expect(paymentTermWarnings(business(issueDate, addDays(latest, 1), STIPULATED))).toHaveLength(1);
  });

  it('end the second reading at the end of February when 45 days land in February', () => {
    // Issue 2026-12-31 + 45 = 2027-02-14, end of February 2027-02-28; 60 days is 2027-03-01, one day later.
    // Issue 2027-12-31 + 45 = 2028-02-14, end of February 2028-02-29, the same day as 60 days: both years give 60.
    expect(legalDueDateLimit(business('2026-12-31', '2027-03-01', STIPULATED)).latest).toBe('2027-03-01');
    expect(legalDueDateLimit(business('2027-12-31', '2028-02-29', STIPULATED)).latest).toBe('2028-02-29');
  });
});

describe('recognising a stipulated 45 days end of month', () => {
  it.each([
    '45 jours fin de mois',
    '45 j fin de mois',
    '45 jours FDM',
    '45 j. fdm',
    '45 jours, fin du mois',
    'Paiement à 45 jours fin de mois à compter de la facture',
    'fin de mois + 45 jours',
    '45 days end of month',
    '45 Days End-Of-Month',
    '45 days EOM',
    '45 EOM',
    'EOM + 45',
  ])('recognises "%s"', (paymentTerms) => {
    expect(statesEndOfMonth(paymentTerms)).toBe(true);
  });

  it.each(['60 jours net', '45 jours', '45 days net', '30 jours fin de mois', '145 jours fin de mois', 'end of month'])(
    'does not recognise "%s"',
    (paymentTerms) => {
      expect(statesEndOfMonth(paymentTerms)).toBe(false);
    },
  );

  it('does not recognise missing terms', () => {
    expect(statesEndOfMonth(undefined)).toBe(false);
  });
});

describe('public buyers', () => {
  it('accept 30 days after the issue date', () => {
    // 2027-03-01 + 30 = 2027-03-31.
    expect(legalDueDateLimit(publicBuyer('2027-03-01', '2027-03-31'))).toEqual({
      latest: '2027-03-31',
      rule: `30 days from the issue date 2027-03-01 ${PUBLIC_PROCUREMENT}`,
    });
    expect(paymentTermWarnings(publicBuyer('2027-03-01', '2027-03-31'))).toEqual([]);
  });

  it('warn about 45 days unless the customer is a public hospital or a public company', () => {
    // 2027-03-01 + 45 = 2027-04-15.
    expect(paymentTermWarnings(publicBuyer('2027-03-01', '2027-04-15'))).toEqual([
      `Payment term of 45 days (due 2027-04-15) exceeds 30 days from the issue date 2027-03-01 ${PUBLIC_PROCUREMENT}.` +
        ' It is lawful only if the customer is a public hospital (50 days) or a public company allowed 60 days.',
    ]);
  });

  it('no longer offer the public hospital excuse for 55 days', () => {
    // 2027-03-01 + 55 = 2027-04-25.
    expect(paymentTermWarnings(publicBuyer('2027-03-01', '2027-04-25'))).toEqual([
      `Payment term of 55 days (due 2027-04-25) exceeds 30 days from the issue date 2027-03-01 ${PUBLIC_PROCUREMENT}.` +
        ' It is lawful only if the customer is a public company allowed 60 days.',
    ]);
  });

  it('give a plain warning for 61 days, beyond what any public buyer may have', () => {
    // 2027-03-01 + 61 = 2027-05-01.
    expect(paymentTermWarnings(publicBuyer('2027-03-01', '2027-05-01'))).toEqual([
      `Payment term of 61 days (due 2027-05-01) exceeds 30 days from the issue date 2027-03-01 ${PUBLIC_PROCUREMENT}.`,
    ]);
  });
});

describe('consumers', () => {
  it.each([0, 60, 61, 200, 3650])('are never warned, here about %i days', (days) => {
    const input = { issueDate: '2027-03-01', dueDate: addDays('2027-03-01', days), kind: 'consumer' } as const;
    expect(paymentTermWarnings(input)).toEqual([]);
    expect(paymentTermWarnings({ ...input, paymentTerms: STIPULATED })).toEqual([]);
  });
});

describe('the warning and the limit', () => {
  it('agree: no warning exactly when the due date is on or before the latest lawful one', () => {
    const anyIssueDate = fc.integer({ min: 0, max: 36_524 }).map((days) => addDays('2000-01-01', days));
    const anyKind = fc.constantFrom<CustomerKind>('business', 'public', 'consumer');
    const anyTerms = fc.constantFrom(undefined, STIPULATED, '45 days EOM', '60 jours net');
    fc.assert(
      fc.property(anyIssueDate, fc.integer({ min: 0, max: 200 }), anyKind, anyTerms, (issueDate, days, kind, terms) => {
        const input = { issueDate, dueDate: addDays(issueDate, days), kind, paymentTerms: terms };
        const lawful = input.dueDate <= legalDueDateLimit(input).latest;
        expect(paymentTermWarnings(input).length === 0).toBe(lawful);
      }),
      { seed: 42 },
    );
  });
});
