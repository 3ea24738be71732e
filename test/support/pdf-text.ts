/**
 * What a reader of a PDF sees: the text of each page as PDF.js extracts it (the engine of Firefox's viewer), its
 * size, and the document's metadata. Assertions read sentences: `flat` joins the lines a paragraph was wrapped into
 * and turns the no-break spaces of French typography and of Intl's numbers (U+00A0, U+202F) into plain spaces.
 */
import { constants, inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPage {
  width: number;
  height: number;
  /** The page's lines as extracted, spaces as they are. */
  lines: string[];
  /** The page's lines joined into one string with plain spaces. */
  flat: string;
}

export interface PdfText {
  pages: PdfPage[];
  /** Every page's `flat`, one after the other. */
  flat: string;
  info: Record<string, unknown>;
}

/**
 * The PDF's compressed streams (page contents, ToUnicode maps), inflated, as latin1 text. Text extractors turn every
 * kind of space into a plain one: what the PDF itself maps its glyphs to is read here.
 */
export function inflatedStreams(pdf: Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1');
  return [...raw.matchAll(/\/FlateDecode[^]*?>>\s*stream\r?\n/g)].map((match) => {
    const start = match.index + match[0].length;
    return inflateSync(Buffer.from(raw.slice(start, raw.indexOf('endstream', start)), 'latin1'), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
  });
}

/** Plain spaces for the no-break and thin ones, one space where there were several. */
export const plain = (text: string) => text.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/ {2,}/g, ' ');

/** Lines joined with a space, except after a hyphen where a line was broken (« F-2027- » + « 0042 »). */
function joinLines(lines: string[]): string {
  return lines
    .map((line) => plain(line).trim())
    .filter(Boolean)
    .reduce((text, line) => (text === '' ? line : text.endsWith('-') ? text + line : `${text} ${line}`), '');
}

export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  // PDF.js refuses a Buffer: it wants a plain Uint8Array, which it may transfer (hence the copy).
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= document.numPages; n += 1) {
      const page = await document.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      const lines: string[] = [''];
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item)) continue;
        lines[lines.length - 1] += item.str;
        if (item.hasEOL) lines.push('');
      }
      const kept = lines.filter((line) => line.trim() !== '');
      pages.push({ width, height, lines: kept, flat: joinLines(kept) });
    }
    const { info } = await document.getMetadata();
    return { pages, flat: pages.map((page) => page.flat).join(' '), info: info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}
