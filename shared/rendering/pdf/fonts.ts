/**
 * The letters' typeface, Open Sans (Apache License 2.0, from the open-sans-fontface package): a sans of about 110 KB
 * per weight that covers French in full, « œ », « € », the typographic apostrophe and the narrow no-break space the
 * French typography of our sentences puts before « : ; ! ? ». Every PDF embeds it (subset), so the letter reads the
 * same in every viewer and at the post office's printer.
 *
 * Read from node_modules, for tests, tsx and the local runtime. A Lambda bundle has no node_modules: infra/bundling.ts
 * swaps this module for shared/lambda/bundled-fonts.ts, which carries the same bytes inside the bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface PdfFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

let loaded: PdfFonts | undefined;

export function pdfFonts(): PdfFonts {
  if (!loaded) {
    const resolve = createRequire(import.meta.url).resolve;
    const read = (file: string) => readFileSync(resolve(`open-sans-fontface/fonts/${file}`));
    loaded = { regular: read('Regular/OpenSans-Regular.ttf'), bold: read('Bold/OpenSans-Bold.ttf') };
  }
  return loaded;
}
