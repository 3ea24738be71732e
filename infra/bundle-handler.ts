/** `tsx infra/bundle-handler.ts <entry.ts> <outfile.mjs> <country>`: one handler, bundled as deployed (see bundling.ts). */
import { bundleHandler } from './bundling';

const [entry, outfile, country] = process.argv.slice(2);
if (!entry || !outfile || !country) {
  console.error('usage: tsx infra/bundle-handler.ts <entry.ts> <outfile.mjs> <country>');
  process.exit(2);
}
await bundleHandler(entry, outfile, country);
