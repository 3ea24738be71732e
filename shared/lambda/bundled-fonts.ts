/**
 * Stands in for shared/rendering/pdf/fonts.ts inside Lambda bundles (infra/bundling.ts swaps the module), where no
 * node_modules lies beside the handler: esbuild's binary loader puts the same font files into the bundle itself.
 */
import bold from 'open-sans-fontface/fonts/Bold/OpenSans-Bold.ttf';
import regular from 'open-sans-fontface/fonts/Regular/OpenSans-Regular.ttf';
import type { PdfFonts } from '../rendering/pdf/fonts';

export type { PdfFonts };

const fonts: PdfFonts = { regular, bold };

export function pdfFonts(): PdfFonts {
  return fonts;
}
