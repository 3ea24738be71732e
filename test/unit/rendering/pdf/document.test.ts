import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pdfFonts } from '../../../../shared/rendering/pdf/fonts';
import { A4, PdfWriter, type PdfOptions } from '../../../../shared/rendering/pdf/document';
import type { Block } from '../../../../shared/rendering/email/compose';
import { inflatedStreams, pdfText, plain } from '../../../support/pdf-text';

const OPTIONS: PdfOptions = {
  language: 'fr',
  title: 'Essai',
  author: 'Example SAS',
  date: new Date('2027-04-15T00:00:00Z'),
  footer: 'Example SAS, SAS au capital de 10 000 €, siège social\u202f: 1 rue de l’Exemple, 75001 Paris, SIREN 000 000 000 RCS Paris',
};

const EVERY_BLOCK: Block[] = [
  { type: 'heading', text: 'Titre du document' },
  { type: 'heading', text: 'Une section', level: 2 },
  { type: 'paragraph', text: 'Un paragraphe\nsur deux lignes.' },
  { type: 'notice', tone: 'warning', text: 'Un avertissement encadré.' },
  { type: 'notice', text: 'Une information encadrée.' },
  { type: 'list', items: ['premier point ;', 'second point.'] },
  { type: 'facts', rows: [['Principal restant dû', '1\u202f234,56\u00a0€'], ['Total dû', '1\u202f289,45\u00a0€']] },
  { type: 'facts', rows: [['IBAN', 'FR76 3000 6000 0112 3456 7890 189'], ['BIC', 'AGRIFRPP']] },
  { type: 'quote', label: 'Votre message\u202f:', text: 'Merci de joindre le bon de commande.' },
  { type: 'link', label: 'Télécharger la facture', url: 'https://billing.example.com/F-1.pdf' },
  { type: 'buttons', buttons: [{ label: 'Confirmer la date de paiement', url: 'https://pay.example.com/r/abc?action=promise' }] },
];

async function render(build: (pdf: PdfWriter) => void, options: Partial<PdfOptions> = {}): Promise<Uint8Array> {
  const pdf = new PdfWriter({ ...OPTIONS, ...options });
  build(pdf);
  return pdf.finish();
}

/** The font engine pdfkit lays text out with, loaded as pdfkit loads it. */
const fontkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))('fontkit') as {
  create(bytes: Uint8Array): { hasGlyphForCodePoint(codePoint: number): boolean };
};

const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1');

describe('a PDF document', () => {
  it('lays every kind of block out and reads back as written, leaving out the email’s answer buttons', async () => {
    const { flat } = await pdfText(await render((pdf) => pdf.blocks(EVERY_BLOCK)));
    for (const text of [
      'Titre du document',
      'Une section',
      'Un paragraphe sur deux lignes.',
      'Un avertissement encadré.',
      'Une information encadrée.',
      '• premier point ;',
      '• second point.',
      'Principal restant dû 1 234,56 €',
      'Total dû 1 289,45 €',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
      'Votre message : Merci de joindre le bon de commande.',
      'Télécharger la facture : https://billing.example.com/F-1.pdf',
    ]) {
      expect(flat).toContain(text);
    }
    expect(flat).not.toContain('Confirmer la date de paiement');
  });

  it('is A4, 595.28 × 841.89 points, on every page', async () => {
    const { pages } = await pdfText(await render((pdf) => pdf.table({
      columns: [{ header: 'N°', width: 1 }],
      rows: Array.from({ length: 120 }, (_, i) => [String(i)]),
    })));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect([page.width, page.height]).toEqual([A4.width, A4.height]);
  });

  it('keeps French accents through text extraction', async () => {
    const sentence = 'À Sète, l’été : « Cœur » à 1\u202f234,56\u00a0€ ; ça, ô combien, c’est réglé — façon œuvre d’Ève.';
    const { pages } = await pdfText(await render((pdf) => pdf.paragraph(sentence)));
    const line = pages[0].lines.find((l) => l.startsWith('À Sète'));
    expect(plain(line ?? '')).toBe(plain(sentence));
    for (const character of ['é', 'è', 'à', 'ç', 'ô', 'œ', '€', '«', '»', '’']) expect(line).toContain(character);
  });

  it('draws the narrow and the ordinary no-break space as the characters they are, which extractors flatten', async () => {
    const pdf = await render((pdf) => pdf.paragraph('Objet\u202f: 1\u202f234,56\u00a0€'));
    const toUnicode = inflatedStreams(pdf).find((stream) => stream.includes('beginbfrange'));
    expect(toUnicode).toContain('<202f>');
    expect(toUnicode).toContain('<00a0>');
  });

  it('has the font for every character our French typography writes, the narrow no-break space included', () => {
    for (const bytes of Object.values(pdfFonts())) {
      const font = fontkit.create(bytes);
      for (const character of 'éèàçôœŒ€«»’–—…\u00a0\u202f•−') expect(font.hasGlyphForCodePoint(character.codePointAt(0)!), character).toBe(true);
    }
  });

  it('embeds its typeface as a subset and uses none of the standard PDF fonts', async () => {
    const raw = latin1(await render((pdf) => pdf.blocks(EVERY_BLOCK)));
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+OpenSans/);
    expect(raw).not.toMatch(/Helvetica|Times-Roman|Courier/);
  });

  it('breaks a long table across pages, repeating its header, and numbers every page n/N beside the legal mentions', async () => {
    const { pages } = await pdfText(await render((pdf) => pdf.heading('Chronologie').table({
      columns: [{ header: 'Date', width: 0.3 }, { header: 'Événement', width: 0.7 }],
      rows: Array.from({ length: 150 }, (_, i) => [`${i + 1} avril 2027`, `Événement n° ${i + 1}`]),
    })));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect(page.flat).toContain(`Page ${i + 1}/${pages.length}`);
      expect(page.flat).toContain('SIREN 000 000 000 RCS Paris');
      expect(page.lines[0]).toMatch(i === 0 ? /^Chronologie/ : /^Date ?Événement$/);
    });
    const all = pages.map((page) => page.flat).join(' ');
    for (const n of [1, 75, 150]) expect(all).toContain(`Événement n° ${n}`);
  });

  it('numbers pages in English as “Page n of N”', async () => {
    const { pages } = await pdfText(await render((pdf) => pdf.paragraph('Hello.'), { language: 'en' }));
    expect(pages[0].flat).toContain('Page 1 of 1');
  });

  it('carries its title, author, language and date in its metadata', async () => {
    const { info } = await pdfText(await render((pdf) => pdf.paragraph('Bonjour.'), { subject: 'Boulangerie Martin SARL' }));
    expect(info).toMatchObject({ Title: 'Essai', Author: 'Example SAS', Subject: 'Boulangerie Martin SARL', Language: 'fr-FR', CreationDate: 'D:20270415000000Z' });
  });

  it('gives the same bytes for the same input, and other bytes for another date', async () => {
    const build = (pdf: PdfWriter) => pdf.blocks(EVERY_BLOCK);
    const first = await render(build);
    expect(Buffer.from(await render(build)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await render(build, { date: new Date('2027-04-16T00:00:00Z') })).equals(Buffer.from(first))).toBe(false);
  });
});
