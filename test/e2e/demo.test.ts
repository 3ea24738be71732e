/**
 * `npm run demo` in-process: it completes, stops its runtime, and tells the story it promises — a promise kept, a
 * dispute resolved with a corrected amount then paid, a payment before the pre-reminder, silence to the hand-off.
 */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../infra/local/demo';

describe('npm run demo', () => {
  it('walks the four invoices to their expected final statuses and prints a narrative', async () => {
    const lines: string[] = [];
    const result = await runDemo({ port: 0, print: (line) => lines.push(line) });

    expect(result.statuses).toEqual({
      'FA-2027-0101': 'paid',
      'INV-UK-55012': 'paid',
      'FA-2027-0102': 'paid',
      'INV-UK-55013': 'handed_off',
    });
    expect(result.executions['FA-2027-0101']).toEqual({ status: 'SUCCEEDED', currentState: 'Paid' });
    expect(result.executions['FA-2027-0102']).toEqual({ status: 'SUCCEEDED', currentState: 'Paid' });
    expect(result.executions['INV-UK-55012']).toEqual({ status: 'SUCCEEDED', currentState: 'Paid' });
    expect(result.executions['INV-UK-55013']).toEqual({ status: 'SUCCEEDED', currentState: 'Handed off to legal' });
    // Paid before the pre-reminder: no email at all. Silence: pre-reminder, reminder, call task, penalties, notice, the
    // letter for the team to post, hand-off.
    expect(result.emails['FA-2027-0102']).toBe(0);
    expect(result.emails['INV-UK-55013']).toBe(7);

    const text = lines.join('\n');
    expect(text).toContain('tout est-il en ordre');
    expect(text).toContain('promises a transfer');
    expect(text).toContain('Litige signalé');
    expect(text).toContain('Formal notice to pay');
    expect(text).toContain('Handed off to legal');
    expect(text).toMatch(/Evidence file of INV-UK-55013/);
  });
});
