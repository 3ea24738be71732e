/**
 * How every Lambda handler is bundled, in one place: `HandlerFunction` (CDK) and `npm run bench` both go through
 * `handlerBuildOptions`, so the bench measures exactly what is deployed.
 *
 * ESM, minified, no source map, syntax for node24 (the Lambda runtime's), the AWS SDK bundled too:
 * one file per handler, which gave faster cold starts than the runtime's SDK. What is left out or rewritten:
 * - the SDK's credential providers beyond the environment (shared/adapters/lambda-credentials.ts), and its
 *   event-stream code, which loads lazily on paths a Lambda function never takes (`SDK_PARTS_NEVER_LOADED_IN_LAMBDA`);
 * - the descriptions of SDK operations no handler calls, and most of the SDK's package.json files (`leanAwsSdk`);
 * - the holidays library, replaced by its own answers for the creditor's country (shared/lambda/precomputed-holidays.ts);
 * - the letters' font files, read from node_modules elsewhere, carried inside the bundle (shared/lambda/bundled-fonts.ts).
 * CDK's NodejsFunction runs the esbuild CLI, which takes no plugins; so CDK bundles through `bundleHandlerSync`.
 * No aws-cdk-lib import here, so that tools can read it without loading CDK.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { publicHolidays } from '../shared/domain/calendar';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * esbuild output is ESM; some bundled CommonJS dependencies still call `require()` for Node built-ins,
 * which ESM does not define: this banner gives them one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Packages the bundled AWS SDK loads with a dynamic `import()` only on paths a Lambda function never takes:
 * event-stream serialization, which none of the operations the handlers call uses. Were it reached all the same,
 * its import would fail loudly ("Cannot find package"), not silently. Only such dynamic imports are left out: a
 * client that imports the same package statically (S3 does) gets it bundled, or its handler could not even load.
 */
export const SDK_PARTS_NEVER_LOADED_IN_LAMBDA = ['@smithy/core/event-streams'];

const NEVER_LOADED = new RegExp(`^(${SDK_PARTS_NEVER_LOADED_IN_LAMBDA.map((part) => part.replace(/[/.]/g, '\\$&')).join('|')})$`);

/** Leaves `SDK_PARTS_NEVER_LOADED_IN_LAMBDA` out of a bundle where, and only where, they are imported dynamically. */
const lazySdkPartsLeftOut: Plugin = {
  name: 'lazy-sdk-parts-left-out',
  setup(esbuild) {
    esbuild.onResolve({ filter: NEVER_LOADED }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

/** The SDK's default credential chain, reduced to the environment where Lambda puts the function's credentials. */
const CREDENTIALS_STAND_IN = join(PROJECT_ROOT, 'shared', 'adapters', 'lambda-credentials.ts');

const HOLIDAYS_STAND_IN = join(PROJECT_ROOT, 'shared', 'lambda', 'precomputed-holidays.ts');

/**
 * Years of holidays a bundle carries: six years back (a due date may lie five years back, the limitation period of
 * commercial claims, and its pre-reminder before that) to ten years ahead (long terms, deferred starts, a deployment
 * left alone for years).
 */
export function holidayYears(now = new Date()): number[] {
  const first = now.getUTCFullYear() - 6;
  return Array.from({ length: 17 }, (_, i) => first + i);
}

/** date-holidays' public holidays of a country over `years`, in the shape shared/lambda/precomputed-holidays.ts reads. */
export function holidayTable(country: string, years = holidayYears()): Record<string, Record<string, string[]>> {
  return { [country]: Object.fromEntries(years.map((year) => [String(year), [...publicHolidays(country, year)].sort()])) };
}

const PDF_FONTS = join(PROJECT_ROOT, 'shared', 'rendering', 'pdf', 'fonts.ts');
const PDF_FONTS_STAND_IN = join(PROJECT_ROOT, 'shared', 'lambda', 'bundled-fonts.ts');

/**
 * The letters' fonts in a Lambda bundle. shared/rendering/pdf/fonts.ts reads the font files from node_modules, which
 * a Lambda function does not have: the bundle gets shared/lambda/bundled-fonts.ts instead, which imports them
 * (`.ttf`: esbuild's binary loader). esbuild's `alias` takes package names only, hence a plugin for this module of ours.
 * And fontkit's WOFF2 decoder, brotli, is left out (486 KB of a 1.2 MB bundle): the fonts are TrueType files, never
 * WOFF2; were one ever given, it would fail loudly.
 */
const bundledFonts: Plugin = {
  name: 'bundled-fonts',
  setup(esbuild) {
    esbuild.onResolve({ filter: /[\\/]fonts$/ }, (args) =>
      join(args.resolveDir, `${args.path}.ts`) === PDF_FONTS ? { path: PDF_FONTS_STAND_IN } : undefined,
    );
    esbuild.onResolve({ filter: /^brotli\/decompress\.js$/ }, (args) => ({ path: args.path, namespace: 'woff2-left-out' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'woff2-left-out' }, () => ({
      contents: "export default function decompress() { throw new Error('WOFF2 fonts cannot be read in a Lambda bundle: use TrueType'); }",
      loader: 'js',
    }));
  },
};

const SDK_SCHEMA_FILE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const SDK_PACKAGE_JSON = /[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/;
const STRING_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/**
 * Two rewrites of AWS SDK files that change no behaviour and let esbuild leave out what a handler never uses.
 * - Each SDK client describes every operation of its service as data (`export var SendEmail$ = [...]`), and a bundle
 *   should keep only the operations it calls. But some of those descriptions hold objects whose keys are computed
 *   from the file's string constants (`{ [_hH]: _CT }`), which esbuild cannot prove free of side effects, so it keeps
 *   them all: 49 KB of SES v2's 61 KB. The keys are written as the string literals they are
 *   (`{ "httpHeader": "Content-Type" }`), and esbuild drops the operations no handler calls.
 * - Each client imports its whole package.json for one field, the version it puts in the User-Agent header: the
 *   bundle gets `{ name, version }` instead of the scripts, dependencies and file lists (about 2 KB per package).
 * test/infra/bundling.test.ts checks that bundled clients put the same requests on the wire as the published SDK.
 */
export const leanAwsSdk: Plugin = {
  name: 'lean-aws-sdk',
  setup(esbuild) {
    esbuild.onLoad({ filter: SDK_SCHEMA_FILE }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const constants = new Map([...source.matchAll(STRING_CONSTANT)].map(([, name, literal]) => [name, literal]));
      const contents = source.replace(COMPUTED_KEY, (key, name: string) => (constants.has(name) ? `${constants.get(name)}:` : key));
      return { contents, loader: 'js' };
    });
    esbuild.onLoad({ filter: SDK_PACKAGE_JSON }, (args) => {
      const { name, version } = JSON.parse(readFileSync(args.path, 'utf8')) as { name: string; version: string };
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

/** The esbuild build of one handler (`entry`, a .ts file) into `outfile`, for a creditor in `country`. */
export function handlerBuildOptions(entry: string, outfile: string, country = 'FR'): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    define: { __PUBLIC_HOLIDAYS__: JSON.stringify(holidayTable(country)) },
    alias: { 'date-holidays': HOLIDAYS_STAND_IN, '@aws-sdk/credential-provider-node': CREDENTIALS_STAND_IN },
    loader: { '.ttf': 'binary' },
    plugins: [leanAwsSdk, lazySdkPartsLeftOut, bundledFonts],
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'warning',
  };
}

/** Bundles one handler; resolves with esbuild's metafile (what the bench reads sizes from). */
export async function bundleHandler(entry: string, outfile: string, country = 'FR'): Promise<BuildResult<{ metafile: true }>> {
  return build({ ...handlerBuildOptions(entry, outfile, country), metafile: true });
}

/**
 * `bundleHandler`, synchronously: CDK's local bundling hook cannot wait for a promise, and esbuild runs plugins only
 * in asynchronous builds, so a child node process (infra/bundle-handler.ts) does the build.
 */
export function bundleHandlerSync(entry: string, outfile: string, country = 'FR'): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra', 'bundle-handler.ts'), entry, outfile, country], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`Bundling ${entry} failed:\n${run.stderr || run.error}`);
}
