/**
 * How every Lambda handler is bundled, in one place: `HandlerFunction` (CDK's NodejsFunction, local esbuild) takes
 * `handlerBundling(country)`, and `npm run bench` builds the very same bundles with esbuild's API through
 * `handlerBuildOptions` (the arguments CDK's local bundling gives the esbuild CLI for these options).
 *
 * ESM, minified, no source map, syntax for node20 (the oldest Node the project supports), the AWS SDK bundled too
 * (no externals): one file per handler, which gave faster cold starts than the runtime's SDK.
 * The holidays library is replaced by its own answers for the creditor's country (shared/precomputed-holidays.ts).
 * No aws-cdk-lib import here, so that tools can read it without loading CDK.
 */
import type { BuildOptions } from 'esbuild';
import { publicHolidays } from '../shared/calendar';

/**
 * esbuild output is ESM; some bundled CommonJS dependencies still call `require()` for Node built-ins,
 * which ESM does not define: this banner gives them one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Resolved from the project root, where CDK and the bench run esbuild. */
const HOLIDAYS_STAND_IN = './shared/precomputed-holidays.ts';

/** Years of holidays a bundle carries: last year (late invoices) to ten years ahead (long terms, deferred starts). */
export function holidayYears(now = new Date()): number[] {
  const first = now.getUTCFullYear() - 1;
  return Array.from({ length: 12 }, (_, i) => first + i);
}

/** date-holidays' public holidays of a country over `years`, in the shape shared/precomputed-holidays.ts reads. */
export function holidayTable(country: string, years = holidayYears()): Record<string, Record<string, string[]>> {
  return { [country]: Object.fromEntries(years.map((year) => [String(year), [...publicHolidays(country, year)].sort()])) };
}

/** NodejsFunction `bundling` props for a handler whose creditor is in `country` (CDK's `OutputFormat.ESM` is `esm`). */
export function handlerBundling(country: string) {
  return {
    forceDockerBundling: false,
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    sourceMap: false,
    externalModules: [] as string[],
    define: { __PUBLIC_HOLIDAYS__: JSON.stringify(holidayTable(country)) },
    esbuildArgs: { [`--alias:date-holidays`]: HOLIDAYS_STAND_IN },
  } as const;
}

/**
 * The esbuild build CDK runs for `handlerBundling(country)`: `esbuild --bundle <entry> --target=node20
 * --platform=node --format=esm --outfile=<dir>/index.mjs --minify --banner:js=... --main-fields=module,main
 * --define:__PUBLIC_HOLIDAYS__=... --alias:date-holidays=...` (no externals).
 */
export function handlerBuildOptions(entry: string, outfile: string, country = 'FR'): BuildOptions {
  const bundling = handlerBundling(country);
  return {
    entryPoints: [entry],
    bundle: true,
    target: bundling.target,
    platform: 'node',
    format: bundling.format,
    outfile,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    external: [...bundling.externalModules],
    banner: { js: bundling.banner },
    mainFields: [...bundling.mainFields],
    define: { ...bundling.define },
    alias: { 'date-holidays': HOLIDAYS_STAND_IN },
    logLevel: 'warning',
  };
}
