/**
 * Helpers for the browser tests: Debian's chromium driven by playwright-core (no browser download here, see
 * /work/shared/TOOLCHAIN.md), a phone-sized context, and checks every customer page must pass.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);

export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** An iPhone-12/13/14-sized phone: 390×844 CSS pixels at 2x, touch, mobile viewport meta honoured. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

export interface WatchedPage {
  page: Page;
  /** Console messages of type `error` and uncaught page errors, as text. */
  problems: string[];
}

export async function newWatchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The security headers every customer page carries (the page itself needs no script and must not be framed). */
export function securityHeaderProblems(response: Response | null): string[] {
  if (!response) return ['no response'];
  const h = response.headers();
  const problems: string[] = [];
  const csp = h['content-security-policy'] ?? '';
  if (!csp) problems.push('no content-security-policy');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name.toLowerCase(), values] as const;
      }),
  );
  // Scripts: either no script-src at all with default-src 'none', or script-src 'none'.
  const scriptSources = directives.get('script-src') ?? directives.get('default-src') ?? [];
  if (!(scriptSources.length === 1 && scriptSources[0] === "'none'")) problems.push(`scripts not forbidden by CSP: ${csp}`);
  const frameAncestors = directives.get('frame-ancestors') ?? [];
  const xfo = (h['x-frame-options'] ?? '').toUpperCase();
  if (!(frameAncestors.length === 1 && frameAncestors[0] === "'none'") && xfo !== 'DENY') problems.push('page may be framed');
  if (!(frameAncestors.length === 1 && frameAncestors[0] === "'none'")) problems.push(`no frame-ancestors 'none': ${csp}`);
  if (xfo !== 'DENY') problems.push(`x-frame-options is ${xfo || 'missing'}`);
  if ((h['x-content-type-options'] ?? '').toLowerCase() !== 'nosniff') problems.push('no x-content-type-options: nosniff');
  if ((h['referrer-policy'] ?? '').toLowerCase() !== 'no-referrer') problems.push('no referrer-policy: no-referrer');
  if (!/(^|,\s*)no-store\b/i.test(h['cache-control'] ?? '')) problems.push('no cache-control: no-store');
  if (!/^text\/html;\s*charset=utf-8$/i.test(h['content-type'] ?? '')) problems.push(`content-type is ${h['content-type']}`);
  return problems;
}

/** Layout and accessibility facts measured in the page. */
export interface PageFacts {
  lang: string;
  scrollWidth: number;
  innerWidth: number;
  /** Form controls (not hidden inputs) without any associated <label>. */
  unlabelled: string[];
  /** Elements wider than the viewport or sticking out of its right edge. */
  overflowing: string[];
}

/*
 * The code run inside the page is plain JavaScript in strings: the project's tsconfig has no DOM library (handlers
 * run in Node), and adding it for these few lines would make `document` and friends type-check everywhere.
 */
const DESCRIBE = `(el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')`;

const PAGE_FACTS = `(() => {
  const describe = ${DESCRIBE};
  const controls = Array.from(document.querySelectorAll('input, select, textarea')).filter((el) => !(el.tagName === 'INPUT' && el.type === 'hidden'));
  const width = document.documentElement.clientWidth;
  const overflowing = Array.from(document.body.querySelectorAll('*'))
    .filter((el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.right > width + 0.5; })
    .map(describe);
  return {
    lang: document.documentElement.lang,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    unlabelled: controls.filter((el) => !el.labels || el.labels.length === 0).map(describe),
    overflowing,
  };
})()`;

export function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(PAGE_FACTS) as Promise<PageFacts>;
}

/** The focused element as `#details-id tag#id` (`button[type=submit]` for buttons), '' for none. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const details = el.closest('details');
  const type = el.tagName === 'BUTTON' ? 'button[type=' + el.type + ']' : el.tagName.toLowerCase();
  return (details ? '#' + details.id + ' ' : '') + type + (el.id ? '#' + el.id : '');
})()`;

/** Whether the focused element draws an outline (keyboard users must see where they are). */
export const FOCUS_OUTLINE = `getComputedStyle(document.activeElement).outlineStyle`;

/**
 * Presses Tab up to `max` times from the top of the page and answers the focused elements in order (one entry per
 * element: a date input keeps the focus across its day/month/year parts).
 */
export async function tabOrder(page: Page, max = 30): Promise<string[]> {
  await page.evaluate(`document.activeElement && document.activeElement.blur()`);
  const order: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(FOCUSED)) as string;
    if (focused && order[order.length - 1] !== focused) order.push(focused);
  }
  return order;
}
