/**
 * How every Lambda handler is bundled, in one place: `HandlerFunction` (CDK's NodejsFunction, local esbuild) passes
 * `HANDLER_BUNDLING` to CDK, and `npm run bench` builds the very same bundles with esbuild's API through
 * `handlerBuildOptions` (the arguments CDK's local bundling gives the esbuild CLI for these options).
 *
 * ESM, minified, no source map, syntax for node20 (the oldest Node the project supports), the AWS SDK bundled too
 * (no externals): one file per handler, which gave faster cold starts than the runtime's SDK.
 * No aws-cdk-lib import here, so that tools can read it without loading CDK.
 */
import type { BuildOptions } from 'esbuild';

/**
 * esbuild output is ESM; some bundled CommonJS dependencies still call `require()` for Node built-ins,
 * which ESM does not define: this banner gives them one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** NodejsFunction `bundling` props (CDK's `OutputFormat.ESM` is the string `esm`). */
export const HANDLER_BUNDLING = {
  forceDockerBundling: false,
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: false,
  externalModules: [] as string[],
} as const;

/**
 * The esbuild build CDK runs for `HANDLER_BUNDLING`: `esbuild --bundle <entry> --target=node20 --platform=node
 * --format=esm --outfile=<dir>/index.mjs --minify --banner:js=... --main-fields=module,main` (no externals).
 */
export function handlerBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    target: HANDLER_BUNDLING.target,
    platform: 'node',
    format: HANDLER_BUNDLING.format,
    outfile,
    minify: HANDLER_BUNDLING.minify,
    sourcemap: HANDLER_BUNDLING.sourceMap,
    external: [...HANDLER_BUNDLING.externalModules],
    banner: { js: HANDLER_BUNDLING.banner },
    mainFields: [...HANDLER_BUNDLING.mainFields],
    logLevel: 'warning',
  };
}
