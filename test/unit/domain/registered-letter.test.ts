/**
 * The formal notice's registered letter (shared/domain/registered-letter.ts): what the team may record of it, and when
 * the hand-off may come after it. Calendar: Europe/Paris, France. Dates worked out by hand below each case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, addDays } from '../../../shared/domain/calendar';
import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import type { InvoiceRecord, RegisteredLetter } from '../../../shared/domain/invoice';
import { DEFAULT_POLICY } from '../../../shared/domain/policy';
import { handOffNotBefore, letterRequested, letterToPost, letterWithProvider, registeredLetterRecording } from '../../../shared/domain/registered-letter';
import { invoiceRecord } from '../../support/fixtures';

const at = (iso: string) => new Date(iso);
/** The notice left on Friday 30 April 2027, 09:00 Paris (07:00Z). */
const REQUESTED = '2027-04-30T07:00:00.000Z';
const letter = (facts: Partial<RegisteredLetter> = {}): RegisteredLetter => ({
  requestedAt: REQUESTED,
  key: 'invoices/F-1/letters/x/registered_letter/mise-en-demeure.pdf',
  filename: 'mise-en-demeure.pdf',
  by: 'team',
  ...facts,
});
const onLadder = (registeredLetter?: RegisteredLetter): InvoiceRecord =>
  invoiceRecord({
    status: 'overdue',
    phase: 'overdue',
    formalNoticeAt: REQUESTED,
    escalation: { done: 4, lastAt: REQUESTED },
    ...(registeredLetter ? { registeredLetter } : {}),
  });
const record = (body: Parameters<typeof registeredLetterRecording>[1], current = onLadder(letter()), now = at('2027-05-20T10:00:00Z')) =>
  registeredLetterRecording(current, body, DEFAULT_CALENDAR, now);

describe('registeredLetterRecording', () => {
  it('records the posting, tells the execution, and writes it on the timeline', () => {
    const change = record({ postedAt: '2027-05-03', trackingNumber: '1A0001' })!;
    expect(change.record.registeredLetter).toMatchObject({ postedAt: '2027-05-03', trackingNumber: '1A0001' });
    expect(change.timeline?.map((t) => t.type)).toEqual(['registered_letter_posted']);
    expect(change.event).toEqual({ type: 'registered_letter', detail: { trackingNumber: '1A0001' } });
  });

  it('adds the receipt to a posting already recorded, and changes nothing when told the same facts again', () => {
    const posted = onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1A0001' }));
    const change = record({ postedAt: '2027-05-03', trackingNumber: '1A0001', receivedAt: '2027-05-05' }, posted)!;
    expect(change.timeline?.map((t) => t.type)).toEqual(['registered_letter_received']);
    expect(record({ postedAt: '2027-05-03', trackingNumber: '1A0001' }, posted)).toBeUndefined();
    // Told the posting again without the receipt: the receipt stays.
    expect(record({ postedAt: '2027-05-03', trackingNumber: '1A0001' }, change.record)).toBeUndefined();
  });

  it('takes another tracking number as a new posting, whose receipt is not the first one\'s', () => {
    const first = onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1A0001', receivedAt: '2027-05-05' }));
    const change = record({ postedAt: '2027-05-10', trackingNumber: '1A0002' }, first)!;
    expect(change.record.registeredLetter).toMatchObject({ postedAt: '2027-05-10', trackingNumber: '1A0002' });
    expect(change.record.registeredLetter?.receivedAt).toBeUndefined();
    expect(change.timeline?.[0]).toMatchObject({ type: 'registered_letter_posted', replaces: '1A0001' });
  });

  it('refuses a letter no formal notice asked for (409), and dates in the future, before the letter or before the posting (400)', () => {
    expect(() => record({ postedAt: '2027-05-03', trackingNumber: '1A' }, onLadder())).toThrow(ConflictError);
    const problem = (body: Parameters<typeof record>[0]) => {
      try {
        record(body);
      } catch (error) {
        return error instanceof ValidationError ? (error.details as { path: string }[]).map((d) => d.path) : error;
      }
      return undefined;
    };
    expect(problem({ postedAt: '2027-05-21', trackingNumber: '1A' })).toEqual(['postedAt']);
    expect(problem({ postedAt: '2027-04-29', trackingNumber: '1A' })).toEqual(['postedAt']);
    expect(problem({ postedAt: '2027-05-03', trackingNumber: '1A', receivedAt: '2027-05-02' })).toEqual(['receivedAt']);
    expect(problem({ postedAt: '2027-05-03', trackingNumber: '1A', receivedAt: '2027-05-21T09:00:00Z' })).toEqual(['receivedAt']);
    // The day it was written, and an instant five minutes ahead of a clock (skew), are fine.
    expect(problem({ postedAt: '2027-04-30', trackingNumber: '1A', receivedAt: '2027-05-20T10:04:00Z' })).toBeUndefined();
  });

  it('keeps the facts of a closed invoice for the evidence, without an event no execution would take', () => {
    const handedOff = { ...onLadder(letter()), status: 'handed_off' as const, phase: 'closed' as const };
    const change = record({ postedAt: '2027-05-03', trackingNumber: '1A0001' }, handedOff)!;
    expect(change.record.registeredLetter?.trackingNumber).toBe('1A0001');
    expect(change.event).toBeUndefined();
  });
});

describe('handOffNotBefore', () => {
  it('is the day after the 8 days from receipt: received Wednesday 5 May, the 8th day is Thursday 13 May, so Friday 14', () => {
    expect(handOffNotBefore(onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1', receivedAt: '2027-05-05' })), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-14');
  });

  it('runs a deadline ending on a holiday to the next business day: received Sunday 9 May, the 8th day is Whit Monday 17 May, moved to Tuesday 18, so Wednesday 19', () => {
    expect(handOffNotBefore(onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1', receivedAt: '2027-05-09' })), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-19');
  });

  it('is the day after the 8th day when that is a business day: received Monday 10 May, Tuesday 18 May is the 8th, so Wednesday 19', () => {
    expect(handOffNotBefore(onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1', receivedAt: '2027-05-10T14:30:00+02:00' })), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-19');
  });

  it('counts the policy\'s days from posting when no receipt is recorded: posted 3 May + 15 = 18 May', () => {
    expect(handOffNotBefore(onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1' })), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-18');
  });

  it('counts them from the emailed notice when no letter was posted: 30 April + 15 = 15 May', () => {
    expect(handOffNotBefore(onLadder(letter()), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-15');
    expect(handOffNotBefore(onLadder(), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBe('2027-05-15');
  });

  it('is undefined when no notice was served', () => {
    expect(handOffNotBefore(invoiceRecord({ status: 'overdue', escalation: { done: 1, lastAt: REQUESTED } }), DEFAULT_POLICY, DEFAULT_CALENDAR)).toBeUndefined();
  });

  it('never comes before 8 full days after the receipt, whatever the day it was received', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (offset) => {
        const received = addDays('2027-05-01', offset);
        const day = handOffNotBefore(onLadder(letter({ postedAt: '2027-04-30', trackingNumber: '1', receivedAt: received })), DEFAULT_POLICY, DEFAULT_CALENDAR)!;
        return day > addDays(received, 8) && day <= addDays(received, 13);
      }),
      { seed: 12 },
    );
  });
});

describe('letterRequested and letterWithProvider', () => {
  const now = at(REQUESTED);
  const asked = { key: 'invoices/F-1/letters/k/registered_letter/lettre.pdf', filename: 'lettre.pdf' };

  it('names the letter on the record once, by the team until a provider takes it', () => {
    const change = letterRequested(onLadder(), asked, now)!;
    expect(change.record.registeredLetter).toEqual({ requestedAt: REQUESTED, ...asked, by: 'team' });
    expect(letterRequested(change.record, asked, now)).toBeUndefined();
    const taken = letterWithProvider(change.record, asked.key, { provider: 'lre.example', reference: 'R-1' }, now)!;
    expect(taken.record.registeredLetter?.by).toEqual({ provider: 'lre.example', reference: 'R-1' });
    expect(letterWithProvider(taken.record, asked.key, { provider: 'lre.example', reference: 'R-1' }, now)).toBeUndefined();
  });

  it('keeps a posting recorded before the provider answered, and lets a later notice\'s letter replace an old one', () => {
    const posted = onLadder(letter({ key: asked.key, postedAt: '2027-04-30', trackingNumber: 'LRE-9' }));
    expect(letterWithProvider(posted, asked.key, { provider: 'lre.example', reference: 'R-1' }, now)!.record.registeredLetter).toMatchObject({ postedAt: '2027-04-30', trackingNumber: 'LRE-9' });
    const next = letterRequested(posted, { key: 'invoices/F-1/letters/cycle-1/registered_letter/lettre.pdf', filename: 'lettre.pdf' }, now)!;
    expect(next.record.registeredLetter?.postedAt).toBeUndefined();
  });

  it('asks for no letter on an invoice paid or cancelled meanwhile', () => {
    expect(letterRequested({ ...onLadder(), status: 'paid', phase: 'closed' }, asked, now)).toBeUndefined();
    expect(letterRequested({ ...onLadder(), status: 'cancelled', phase: 'closed' }, asked, now)).toBeUndefined();
  });
});

describe('letterToPost', () => {
  it('is true while a requested letter is not posted and the invoice is still being collected', () => {
    expect(letterToPost(onLadder(letter()))).toBe(true);
    expect(letterToPost(onLadder(letter({ postedAt: '2027-05-03', trackingNumber: '1' })))).toBe(false);
    expect(letterToPost({ ...onLadder(letter()), status: 'paid' })).toBe(false);
    expect(letterToPost({ ...onLadder(letter()), status: 'disputed' })).toBe(false);
    expect(letterToPost({ ...onLadder(letter()), partiallyPaid: true })).toBe(false);
    expect(letterToPost(onLadder())).toBe(false);
  });
});
