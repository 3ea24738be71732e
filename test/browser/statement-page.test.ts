/**
 * The statement page in a real browser at phone width, as the issue's check does it: a customer's invoices due on one
 * date and another customer's beside them, the clock moved past the pre-reminder, the one grouped email read from the
 * outbox, its statement link opened in chromium at 375 px and answered (a problem on one invoice, then one date for
 * all), and the statuses read back per invoice over the API.
 *
 * Skipped as a whole when /usr/bin/chromium is missing (`apt-get install -y chromium`; .ci/run installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';
import { CHROMIUM_PATH, HAVE_CHROMIUM, PHONE, launchChromium, newWatchedPage, pageFacts, screenshot, securityHeaderProblems } from './support/browser';
import { runtimeClient, type OutboxEmail } from './support/runtime-client';

const START = new Date('2025-03-03T10:00:00.000Z'); // a Monday
const API_KEY = 'browser-test-key-0123456789';
const CONTACT = 'compta@moreau-freres.example';
const OURS = ['FAC-2025-0501', 'FAC-2025-0502', 'FAC-2025-0503'];
const THEIRS = 'INV-2025-0599';

let runtime: LocalRuntime | undefined;
let browser: Browser | undefined;
let phone: BrowserContext | undefined;
const client = runtimeClient(() => runtime!.url, API_KEY);
let grouped: OutboxEmail | undefined;
let outbox: (OutboxEmail & { invoiceIds?: string[] })[] = [];

const day = (offset: number) => new Date(START.getTime() + offset * 86400_000).toISOString().slice(0, 10);

/** The email's customer link that is no invoice's answer page (those are where its `?action=` buttons lead). */
function statementLink(email: OutboxEmail): string {
  const answers = new Set(email.links.filter((l) => /\/r\/[\w-]+\?action=/.test(l)).map((l) => l.split('?')[0]));
  const link = email.links.find((l) => /\/r\/[\w-]+$/.test(l) && !answers.has(l));
  if (!link) throw new Error(`no statement link in "${email.subject}"`);
  return link;
}

async function expectWellRendered(page: Page) {
  const facts = await pageFacts(page);
  expect(facts.lang).toBe('fr');
  expect(facts.overflowing, 'elements sticking out of the viewport').toEqual([]);
  expect(facts.scrollWidth).toBeLessThanOrEqual(facts.innerWidth);
  expect(facts.unlabelled, 'form controls without a label').toEqual([]);
  expect(await page.locator('script').count()).toBe(0);
}

describe.skipIf(!HAVE_CHROMIUM)(`the statement page in chromium at 375 px${HAVE_CHROMIUM ? '' : ` (skipped: ${CHROMIUM_PATH} not found)`}`, () => {
  beforeAll(async () => {
    [runtime, browser] = await Promise.all([
      createLocalRuntime({ port: 0, apiKey: API_KEY, speed: 0, startAt: START, dailyDigest: false, log: () => undefined }),
      launchChromium(),
    ]);
    phone = await browser.newContext({ ...PHONE, viewport: { width: 375, height: 812 }, locale: 'fr-FR' });
    let latest = 0;
    const register = async (invoiceId: string, customer: object, value: number) => {
      const registered = await client.call('POST', '/invoices', { invoiceId, customer, amount: { value, currency: 'EUR' }, issueDate: day(0), dueDate: day(30) });
      expect(registered.status, registered.text).toBe(201);
      latest = Math.max(latest, Date.parse(registered.json.preReminderAt));
    };
    const moreau = { id: 'C-MOREAU', name: 'Moreau Frères SAS', language: 'fr', contacts: [{ name: 'Service comptable', email: CONTACT }] };
    for (const [i, invoiceId] of OURS.entries()) await register(invoiceId, moreau, 120_000 + i * 45_050);
    await register(THEIRS, { id: 'C-OTHER', name: 'Other Ltd', language: 'en', contacts: [{ name: 'AP', email: 'ap@other.example' }] }, 99_000);
    await client.clockTo(new Date(latest + 60_000));
    outbox = await client.outbox();
    grouped = outbox.find((email) => email.to.includes(CONTACT));
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('leaves one pre-reminder for the contact, covering exactly its three invoices', () => {
    const ours = outbox.filter((email) => email.to.includes(CONTACT));
    expect(ours).toHaveLength(1);
    expect([...(ours[0] as { invoiceIds: string[] }).invoiceIds].sort()).toEqual(OURS);
    expect(outbox.filter((email) => email.to.includes('ap@other.example')).map((e) => (e as { invoiceIds: string[] }).invoiceIds)).toEqual([[THEIRS]]);
  });

  it('shows every open invoice, fits the phone, and takes a problem on one invoice then one date for the others', async () => {
    const { page, problems } = await newWatchedPage(phone!);
    const response = await page.goto(statementLink(grouped!), { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(securityHeaderProblems(response)).toEqual([]);
    await expectWellRendered(page);
    const body = await page.locator('body').innerText();
    for (const invoiceId of OURS) expect(body).toContain(invoiceId);
    expect(body).not.toContain(THEIRS);
    await screenshot(page, 'statement-page');

    // A problem with the second invoice, from its card.
    await page.locator('#inv2-dispute summary').click();
    await page.check('#inv2-dispute-reason-goods_not_received');
    await page.fill('#inv2-dispute-message', 'Il manque deux palettes.');
    const [disputed] = await Promise.all([page.waitForNavigation(), page.click('#inv2-dispute button[type=submit]')]);
    expect(disputed?.status()).toBe(200);
    await expectWellRendered(page);

    // Back on the statement: one date for all the invoices that can take it.
    await page.goto(statementLink(grouped!), { waitUntil: 'load' });
    await page.fill('#all-promisedDate', day(29));
    await page.selectOption('#all-paymentMethod', 'transfer');
    await screenshot(page, 'statement-pay-all');
    const [promised] = await Promise.all([page.waitForNavigation(), page.click('#pay-all button[type=submit]')]);
    expect(promised?.status()).toBe(200);
    await expectWellRendered(page);
    await screenshot(page, 'statement-confirmation');
    expect(problems).toEqual([]);
    await page.close();

    await runtime!.settle();
    const statuses = await Promise.all(OURS.map(async (invoiceId) => (await client.invoice(invoiceId)).status));
    expect(statuses).toEqual(['promised', 'disputed', 'promised']);
    expect((await client.invoice(OURS[0]!)).promise).toMatchObject({ date: day(29), method: 'transfer' });
    expect((await client.invoice(THEIRS)).status).toBe('awaiting_reply');
  });
});
