import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerBuildOptions, holidayYears } from '../../infra/bundling';
import * as library from '../../shared/calendar';
import { addDays } from '../../shared/dates';

/** The calendar module as a Lambda bundle carries it: with the precomputed holidays instead of the library. */
let bundled: typeof library;
let source: string;
const dir = mkdtempSync(join(tmpdir(), 'dunning-bundle-'));

beforeAll(async () => {
  const outfile = join(dir, 'calendar.mjs');
  await build(handlerBuildOptions('shared/calendar.ts', outfile, 'FR'));
  source = readFileSync(outfile, 'utf8');
  bundled = await import(pathToFileURL(outfile).href);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('handler bundles', () => {
  it('leave the holidays library and its time-zone and astronomy data out', () => {
    expect(source).not.toMatch(/moment|astronomia|vsop87/i);
    expect(source.length).toBeLessThan(200_000);
  });

  it('know the same business days as the holidays library for every day of the years they carry', () => {
    const calendar = library.DEFAULT_CALENDAR;
    const years = holidayYears();
    for (let date = `${years[0]}-01-01`; date < `${years.at(-1)! + 1}-01-01`; date = addDays(date, 1)) {
      expect(bundled.isBusinessDay(date, calendar), date).toBe(library.isBusinessDay(date, calendar));
    }
  });

  it('plan the pre-reminder exactly as the unbundled code does', () => {
    const calendar = library.DEFAULT_CALENDAR;
    for (const due of ['2027-05-17', '2027-04-08', '2028-01-04', '2027-11-21']) {
      expect(bundled.preReminderInstant(due, 10, calendar)).toBe(library.preReminderInstant(due, 10, calendar));
    }
  });

  it('refuse a year they do not carry, saying that a redeploy extends the table', () => {
    const beyond = `${holidayYears().at(-1)! + 1}-06-15`;
    expect(() => bundled.isBusinessDay(beyond, library.DEFAULT_CALENDAR)).toThrow(/redeploy/);
  });
});
