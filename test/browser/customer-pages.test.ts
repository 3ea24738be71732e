/**
 * The customer pages in a real browser on a phone: the local runtime in-process, three invoices registered over the
 * API, the virtual clock moved past their pre-reminders, and the links from the outbox opened in Debian's chromium
 * (playwright-core). Checks what only a browser can tell: language, escaping as rendered, locale amounts, no sideways
 * scrolling at 390 px, labels, keyboard reach, no console errors under the CSP, and the forms actually posting.
 * Screenshots go to test/browser/screenshots/ (git-ignored) for a human look.
 *
 * Skipped as a whole when /usr/bin/chromium is missing (`apt-get install -y chromium`; .ci/run installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';
import {
  CHROMIUM_PATH,
  FOCUS_OUTLINE,
  HAVE_CHROMIUM,
  PHONE,
  launchChromium,
  newWatchedPage,
  pageFacts,
  screenshot,
  securityHeaderProblems,
  tabOrder,
} from './support/browser';
import { runtimeClient, type OutboxEmail } from './support/runtime-client';

if (!HAVE_CHROMIUM) {
  console.warn(`[browser tests] skipped: ${CHROMIUM_PATH} not found. Install it with: apt-get install -y chromium`);
}

const START = new Date('2025-03-03T10:00:00.000Z'); // a Monday
const API_KEY = 'browser-test-key-0123456789';
const NASTY_NAME = `Café <b>Dupont</b> & "Fils" d'Orléans`;

const FR = { invoiceId: 'FAC-2025-0101', contact: 'compta@dupont.example', language: 'fr' as const, name: NASTY_NAME, value: 123_456 };
const EN = { invoiceId: 'INV-2025-0202', contact: 'ap@acme.example', language: 'en' as const, name: 'Acme Trading Ltd', value: 123_456 };
const QU = { invoiceId: 'INV-2025-0303', contact: 'payables@globex.example', language: 'en' as const, name: 'Globex Corporation', value: 98_000 };
const INVOICES = [FR, EN, QU];

/** Intl's French currency format: narrow no-break space (U+202F) between thousands, no-break space (U+00A0) before €. */
const FR_AMOUNT = '1\u202f234,56\u00a0€';
const EN_AMOUNT = '€1,234.56';

let runtime: LocalRuntime | undefined;
let browser: Browser | undefined;
let phone: BrowserContext | undefined;
const client = runtimeClient(() => runtime!.url, API_KEY);
const emails = new Map<string, OutboxEmail>();

function day(base: Date, offset: number): string {
  return new Date(base.getTime() + offset * 86400_000).toISOString().slice(0, 10);
}

/** The page link of an invoice's pre-reminder (without `?action=`). */
function pageLink(invoiceId: string): string {
  const email = emails.get(invoiceId)!;
  const link = email.links.find((l) => l.startsWith(`${runtime!.url}/r/`));
  if (!link) throw new Error(`no /r/ link in the email of ${invoiceId}: ${email.links.join(', ')}`);
  return link.split('?')[0];
}

/** Opens a customer link on the phone and runs the checks every page must pass. */
async function openAndCheck(url: string, lang: 'fr' | 'en') {
  const { page, problems } = await newWatchedPage(phone!);
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(securityHeaderProblems(response)).toEqual([]);
  await checkRendered(page, lang);
  return { page, problems };
}

async function checkRendered(page: Page, lang: 'fr' | 'en') {
  const facts = await pageFacts(page);
  expect(facts.lang).toBe(lang);
  expect(facts.overflowing, 'elements sticking out of the viewport').toEqual([]);
  expect(facts.scrollWidth).toBeLessThanOrEqual(facts.innerWidth);
  expect(facts.unlabelled, 'form controls without a label').toEqual([]);
  // Nothing can run: the CSP forbids scripts and the pages carry none.
  expect(await page.locator('script').count()).toBe(0);
}

describe.skipIf(!HAVE_CHROMIUM)(`customer pages in chromium on a phone${HAVE_CHROMIUM ? '' : ` (skipped: ${CHROMIUM_PATH} not found)`}`, () => {
  beforeAll(async () => {
    [runtime, browser] = await Promise.all([
      createLocalRuntime({ port: 0, apiKey: API_KEY, speed: 0, startAt: START, dailyDigest: false, log: () => undefined }),
      launchChromium(),
    ]);
    phone = await browser.newContext({ ...PHONE, locale: 'fr-FR', javaScriptEnabled: true });

    const now = await client.now();
    let latest = 0;
    for (const inv of INVOICES) {
      const registered = await client.call('POST', '/invoices', {
        invoiceId: inv.invoiceId,
        customer: { id: `C-${inv.invoiceId}`, name: inv.name, language: inv.language, contacts: [{ name: 'Accounts payable', email: inv.contact }] },
        amount: { value: inv.value, currency: 'EUR' },
        issueDate: day(now, 0),
        dueDate: day(now, 30),
      });
      expect(registered.status, registered.text).toBe(201);
      latest = Math.max(latest, Date.parse(registered.json.preReminderAt));
    }
    await client.clockTo(new Date(latest + 60_000));
    const outbox = await client.outbox();
    for (const inv of INVOICES) {
      const email = outbox.find((m) => m.invoiceId === inv.invoiceId && m.to.includes(inv.contact));
      expect(email, `pre-reminder of ${inv.invoiceId}`).toBeTruthy();
      emails.set(inv.invoiceId, email!);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('shows the French page: lang, escaped customer name, French amounts, bank details, safe headers', async () => {
    const { page, problems } = await openAndCheck(pageLink(FR.invoiceId), 'fr');
    // The name is shown as typed: no <b> element injected, the characters literally in the text.
    expect(await page.locator('b').count()).toBe(0);
    const body = await page.locator('body').innerText();
    expect(body).toContain(NASTY_NAME);
    expect(await page.locator('dd', { hasText: 'Dupont' }).first().textContent()).toBe(NASTY_NAME);
    expect(body).toContain(FR_AMOUNT);
    expect(body).toContain('Montant à régler');
    await expect.poll(() => page.getByText('FR76 3000 6000 0112 3456 7890 189').isVisible()).toBe(true);
    expect(await page.getByText('AGRIFRPP').isVisible()).toBe(true);
    expect(await page.locator('h1').textContent()).toBe(`Facture ${FR.invoiceId}`);
    await screenshot(page, 'fr-answer-page');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the English page with English amounts and the bank details', async () => {
    const { page, problems } = await openAndCheck(pageLink(EN.invoiceId), 'en');
    const body = await page.locator('body').innerText();
    expect(body).toContain(EN_AMOUNT);
    expect(body).toContain('Amount due');
    expect(body).toContain(EN.name);
    expect(await page.getByText('FR76 3000 6000 0112 3456 7890 189').isVisible()).toBe(true);
    expect(await page.getByText('AGRIFRPP').isVisible()).toBe(true);
    await screenshot(page, 'en-answer-page');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lets a keyboard user Tab to the first form control and to the submit button', async () => {
    const { page } = await openAndCheck(pageLink(EN.invoiceId), 'en');
    const order = await tabOrder(page);
    const first = order.findIndex((f) => f.includes('input#promise-promisedDate'));
    const submit = order.findIndex((f) => f === '#promise button[type=submit]');
    expect(first, order.join(' → ')).toBeGreaterThanOrEqual(0);
    expect(submit, order.join(' → ')).toBeGreaterThan(first);
    // Focus is visible: the focused button shows an outline.
    await page.focus('#promise button[type=submit]');
    const outline = await page.evaluate(FOCUS_OUTLINE);
    expect(outline).not.toBe('none');
    await page.close();
  });

  it('records a promise made from the French page and confirms it in French', async () => {
    const { page, problems } = await openAndCheck(pageLink(FR.invoiceId), 'fr');
    const promisedDate = day(START, 28); // 31 March, before the due date
    await page.fill('#promise-promisedDate', promisedDate);
    await page.selectOption('#promise-paymentMethod', 'direct_debit');
    await page.fill('#promise-message', 'Validé par la direction <i>financière</i>');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#promise button[type=submit]')]);
    expect(response?.status()).toBe(200);
    expect(securityHeaderProblems(response)).toEqual([]);
    await checkRendered(page, 'fr');
    expect(await page.locator('h1').textContent()).toBe('Merci, votre réponse est enregistrée');
    const confirmation = await page.locator('#confirmation').innerText();
    expect(confirmation).toContain('prélèvement');
    expect(confirmation).toContain('31 mars 2025');
    expect(confirmation).toContain('Validé par la direction <i>financière</i>');
    expect(await page.locator('i').count()).toBe(0);
    await screenshot(page, 'fr-promise-confirmation');
    expect(problems).toEqual([]);
    await page.close();

    await runtime!.settle();
    const invoice = await client.invoice(FR.invoiceId);
    expect(invoice.status).toBe('promised');
    expect(invoice.timeline).toContainEqual(expect.objectContaining({ type: 'promise', promisedDate, method: 'direct_debit' }));
  });

  it('records a dispute sent from the English page opened with ?action=dispute', async () => {
    const { page, problems } = await openAndCheck(`${pageLink(EN.invoiceId)}?action=dispute`, 'en');
    // The email's button leads straight to that form: first, open and highlighted.
    expect(await page.locator('details.answer').first().getAttribute('id')).toBe('dispute');
    expect(await page.locator('details#dispute').getAttribute('open')).not.toBeNull();
    await page.check('#dispute-reason-wrong_amount');
    await page.fill('#dispute-message', 'The order was for 10 units, not 12.');
    await screenshot(page, 'en-dispute-form');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#dispute button[type=submit]')]);
    expect(response?.status()).toBe(200);
    await checkRendered(page, 'en');
    expect(await page.locator('h1').textContent()).toBe('Thank you, your answer has been recorded');
    expect(await page.locator('#confirmation').innerText()).toContain('wrong amount');
    await screenshot(page, 'en-dispute-confirmation');
    expect(problems).toEqual([]);
    await page.close();

    await runtime!.settle();
    const invoice = await client.invoice(EN.invoiceId);
    expect(invoice.status).toBe('disputed');
    expect(invoice.timeline).toContainEqual(expect.objectContaining({ type: 'dispute', reason: 'wrong_amount' }));
  });

  it('passes a question on to the team without changing the status', async () => {
    const before = await client.invoice(QU.invoiceId);
    const { page, problems } = await openAndCheck(`${pageLink(QU.invoiceId)}?action=question`, 'en');
    await page.fill('#question-message', 'Which purchase order does this invoice refer to?');
    await page.fill('#question-contactName', 'Jane Doe');
    await page.fill('#question-contactEmail', 'jane.doe@globex.example');
    await screenshot(page, 'en-question-form');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#question button[type=submit]')]);
    expect(response?.status()).toBe(200);
    await checkRendered(page, 'en');
    expect(await page.locator('#confirmation').innerText()).toContain('jane.doe@globex.example');
    await screenshot(page, 'en-question-confirmation');
    expect(problems).toEqual([]);
    await page.close();

    await runtime!.settle();
    const after = await client.invoice(QU.invoiceId);
    expect(after.status).toBe(before.status);
    expect(after.timeline).toContainEqual(
      expect.objectContaining({ type: 'question', message: 'Which purchase order does this invoice refer to?' }),
    );
    const team = (await client.outbox()).filter((m) => m.invoiceId === QU.invoiceId && m.to.includes('credit-team@example.com'));
    expect(team).toHaveLength(1);
    expect(team[0].text).toContain('Which purchase order does this invoice refer to?');
  });

  it('takes "our bank details differ" on a phone with one tap, warns the customer and alerts the team', async () => {
    const { page, problems } = await openAndCheck(pageLink(QU.invoiceId), 'en');
    await page.fill('#bank-message', 'We were sent another IBAN by email on 2 March.');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('form.bank-check button[value=differ]')]);
    expect(response?.status()).toBe(200);
    await checkRendered(page, 'en');
    expect(await page.locator('#confirmation').innerText()).toContain('Until then, do not pay');
    await screenshot(page, 'en-bank-details-differ');
    expect(problems).toEqual([]);
    await page.close();

    await runtime!.settle();
    const alert = (await client.outbox()).filter((m) => m.invoiceId === QU.invoiceId && /Bank details differ|Coordonnées bancaires différentes/.test(m.subject));
    expect(alert).toHaveLength(1);
    expect(alert[0].text).toContain('We were sent another IBAN by email on 2 March.');
    expect((await client.invoice(QU.invoiceId)).timeline).toContainEqual(expect.objectContaining({ type: 'bank_details_differ', contact: QU.contact }));
  });

  for (const width of [390, 800]) {
    it(`renders the pre-reminder email at ${width} px with its three buttons`, async () => {
      const context = await browser!.newContext(width === 390 ? PHONE : { viewport: { width, height: 900 } });
      try {
        const { page, problems } = await newWatchedPage(context);
        for (const inv of [FR, EN]) {
          const email = emails.get(inv.invoiceId)!;
          await page.setContent(email.html, { waitUntil: 'load' });
          const base = pageLink(inv.invoiceId);
          const buttons = page.locator('a[href*="action="]');
          expect(await Promise.all((await buttons.all()).map((a) => a.getAttribute('href')))).toEqual(
            ['promise', 'dispute', 'question'].map((action) => `${base}?action=${action}`),
          );
          for (const button of await buttons.all()) {
            expect(await button.isVisible()).toBe(true);
            const box = (await button.boundingBox())!;
            expect(box.x).toBeGreaterThanOrEqual(0);
            expect(box.x + box.width).toBeLessThanOrEqual(width);
            expect(box.height).toBeGreaterThanOrEqual(30); // a finger-sized target
          }
          const labels = await buttons.allInnerTexts();
          expect(labels.map((l) => l.trim())).toEqual(
            inv.language === 'fr'
              ? ['Confirmer la date de paiement', 'Signaler un problème', 'Poser une question']
              : ['Confirm the payment date', 'Report a problem', 'Ask a question'],
          );
          const facts = await pageFacts(page);
          expect(facts.scrollWidth).toBeLessThanOrEqual(facts.innerWidth);
          expect(facts.lang).toBe(inv.language);
          // The customer name in the email is escaped too.
          expect(await page.locator('b').count()).toBe(0);
          await screenshot(page, `${inv.language}-pre-reminder-email-${width}`);
        }
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
