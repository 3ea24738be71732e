/**
 * PDF documents (the formal-notice letter, the evidence file's summary) drawn with pdfkit on A4: the body is the same
 * block model the emails are made of (email/compose.ts), so a letter says what its email says, laid out for paper;
 * around it, the frame of a French business letter (sender, recipient where a window envelope shows it, place and
 * date, mode of sending, subject, signature) and on every page the creditor's legal mentions and « page n/N ».
 *
 * The typeface is embedded (subset), never one of the PDF standard fonts, which cover neither « œ » nor « € » nor the
 * narrow no-break space. The same input gives the same bytes: the metadata dates are the document's own date, and
 * pdfkit derives the file identifier from them.
 */
import PDFDocument from 'pdfkit';
import type { Block } from '../email/compose';
import { pdfFonts } from './fonts';

const MM = 72 / 25.4;
/** A4, in points. */
export const A4 = { width: 595.28, height: 841.89 };
const LEFT = 25 * MM;
const RIGHT = 20 * MM;
const TOP = 18 * MM;
const WIDTH = A4.width - LEFT - RIGHT;
/** From the footer's last line to the bottom edge of the page. */
const FOOT = 8 * MM;
/** Room kept for « Page n/N » beside the legal mentions. */
const PAGE_NUMBER_WIDTH = 18 * MM;
/** The recipient's block, inside the window of a French DL envelope (window about 100 × 45 mm, 20 mm from the right). */
const ADDRESS = { x: 110 * MM, y: 50 * MM, width: 80 * MM };
/** The sender's column, left of the recipient's. */
const SENDER_WIDTH = ADDRESS.x - LEFT - 6 * MM;

const SIZE = { body: 9, small: 7.5, footer: 6.5, h1: 13, h2: 10.5 };
// Open Sans' own line height is 1.36 em, airy for a letter that should hold on one page: 1.2 em instead.
const LINE_GAP = -1.45;
const PARAGRAPH_GAP = 4.5;
const COLOR = {
  text: '#1f2937',
  muted: '#4b5563',
  rule: '#d1d5db',
  info: { background: '#eff6ff', bar: '#1d4ed8' },
  warning: { background: '#fef3c7', bar: '#b45309' },
  quote: { background: '#f3f4f6', bar: '#9ca3af' },
};

const REGULAR = 'regular';
const BOLD = 'bold';

export interface PdfOptions {
  language: 'fr' | 'en';
  title: string;
  author: string;
  subject?: string;
  /** The document's own date (a letter's date, a file's generation instant): its metadata dates. */
  date: Date;
  /** The small print at the foot of every page: the creditor's legal mentions. */
  footer: string;
}

export interface LetterHead {
  /** The creditor: its name first (set in bold), then its address and how to reach the team. */
  sender: string[];
  /** The addressee: its name first (set in bold), then the lines a postman reads. */
  recipient: string[];
  /** Under the address, apart from what the postman reads: the addressee's legal identifier. */
  recipientDetails?: string[];
  /** « Paris, le 15 avril 2027 ». */
  placeAndDate: string;
  /** How the letter travels (« Lettre recommandée avec accusé de réception »), when it is worth stating. */
  sending?: string;
  /** « Objet : … ». */
  subject: string;
}

export interface Signature {
  /** The closing formula, kept on the page of the signature. */
  closing: string;
  name: string;
  title: string;
  organisation: string;
}

export interface TableColumn {
  header: string;
  /** A share of the text width; the columns' shares add up to 1. */
  width: number;
  align?: 'left' | 'right';
}

export interface Table {
  columns: TableColumn[];
  rows: string[][];
  /** Small print for long cells (file digests). */
  size?: 'small';
}

type Font = typeof REGULAR | typeof BOLD;

interface TextStyle {
  font?: Font;
  size?: number;
  color?: string;
  align?: 'left' | 'right';
}

/** One PDF being written; `finish` numbers the pages and resolves with the bytes. */
export class PdfWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly bytes: Promise<Uint8Array>;
  private readonly pageOptions: PDFKit.PDFDocumentOptions;

  constructor(private readonly options: PdfOptions) {
    const fonts = pdfFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      autoFirstPage: false,
      bufferPages: true,
      // No default font: pdfkit would load Helvetica, which a Lambda bundle does not carry and the PDF must not use.
      font: null as unknown as string,
      lang: options.language === 'fr' ? 'fr-FR' : 'en-GB',
      displayTitle: true,
      info: {
        Title: options.title,
        Author: options.author,
        ...(options.subject ? { Subject: options.subject } : {}),
        CreationDate: options.date,
        ModDate: options.date,
      },
    });
    const chunks: Uint8Array[] = [];
    this.bytes = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.doc.registerFont(REGULAR, fonts.regular);
    this.doc.registerFont(BOLD, fonts.bold);
    const bottom = FOOT + this.footerHeight() + 3 * MM;
    this.pageOptions = { size: 'A4', margins: { top: TOP, left: LEFT, right: RIGHT, bottom } };
    this.doc.addPage(this.pageOptions);
  }

  private get maxY(): number {
    return A4.height - this.doc.page.margins.bottom;
  }

  /** Font and size only: measuring happens before any page exists, and a colour can only be set on a page. */
  private style({ font = REGULAR, size = SIZE.body }: TextStyle): PDFKit.PDFDocument {
    return this.doc.font(font).fontSize(size);
  }

  private heightOf(text: string, width: number, style: TextStyle = {}): number {
    return this.style(style).heightOfString(text, { width, lineGap: LINE_GAP });
  }

  private widthOf(text: string, style: TextStyle = {}): number {
    const doc = this.style(style);
    return Math.max(...text.split('\n').map((line) => doc.widthOfString(line)));
  }

  private lineHeight(style: TextStyle = {}): number {
    return this.style(style).currentLineHeight(true) + LINE_GAP;
  }

  /** Writes `text` at (x, y) in `width`; pdfkit carries a text longer than the page over to the next one. */
  private write(text: string, x: number, y: number, width: number, style: TextStyle = {}): void {
    this.style(style).fillColor(style.color ?? COLOR.text).text(text, x, y, { width, lineGap: LINE_GAP, align: style.align ?? 'left' });
  }

  /** Starts a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (this.doc.y + height > this.maxY && this.doc.y > this.doc.page.margins.top) {
      this.doc.addPage(this.pageOptions);
      this.doc.y = this.doc.page.margins.top;
    }
  }

  private gap(points = PARAGRAPH_GAP): void {
    this.doc.y += points;
  }

  /** Sender top left, recipient in the envelope's window, then place and date, mode of sending and subject. */
  letterHead(head: LetterHead): this {
    const [senderName, ...senderLines] = head.sender;
    this.write(senderName, LEFT, TOP, SENDER_WIDTH, { font: BOLD });
    if (senderLines.length) this.write(senderLines.join('\n'), LEFT, this.doc.y, SENDER_WIDTH, { size: SIZE.small, color: COLOR.muted });
    const senderBottom = this.doc.y;
    const [recipientName, ...recipientLines] = head.recipient;
    this.write(recipientName, ADDRESS.x, ADDRESS.y, ADDRESS.width, { font: BOLD });
    if (recipientLines.length) this.write(recipientLines.join('\n'), ADDRESS.x, this.doc.y, ADDRESS.width);
    if (head.recipientDetails?.length) {
      this.write(head.recipientDetails.join('\n'), ADDRESS.x, this.doc.y + 2, ADDRESS.width, { size: SIZE.small, color: COLOR.muted });
    }
    // The mode of sending on the left, level with the place and date: one line for both.
    const y = Math.max(this.doc.y, senderBottom) + 6 * MM;
    if (head.sending) this.write(head.sending, LEFT, y, SENDER_WIDTH, { font: BOLD });
    const sendingBottom = head.sending ? this.doc.y : y;
    this.write(head.placeAndDate, ADDRESS.x, y, ADDRESS.width);
    this.doc.y = Math.max(this.doc.y, sendingBottom) + 4 * MM;
    this.write(head.subject, LEFT, this.doc.y, WIDTH, { font: BOLD });
    this.gap(3 * MM);
    return this;
  }

  /** The body blocks, as the email has them; answer buttons are left out, they belong to the email's web page. */
  blocks(blocks: Block[]): this {
    for (const block of blocks) this.block(block);
    return this;
  }

  private block(block: Block): void {
    switch (block.type) {
      case 'heading':
        this.heading(block.text, block.level ?? 1);
        break;
      case 'paragraph':
        this.paragraph(block.text);
        break;
      case 'notice': {
        const tone = block.tone === 'warning' ? COLOR.warning : COLOR.info;
        this.box(block.text, tone.background, tone.bar);
        break;
      }
      case 'list':
        this.list(block.items);
        break;
      case 'facts':
        this.facts(block.rows);
        break;
      case 'link':
        this.paragraph(`${block.label}${this.colon()}${block.url}`);
        break;
      case 'buttons':
        break;
      case 'quote':
        if (block.label) this.text(block.label, { size: SIZE.small, color: COLOR.muted }, 2);
        this.box(block.text, COLOR.quote.background, COLOR.quote.bar);
        break;
    }
  }

  private colon(): string {
    return this.options.language === 'fr' ? '\u202f: ' : ': ';
  }

  heading(text: string, level: 1 | 2 = 1): this {
    const style: TextStyle = { font: BOLD, size: level === 1 ? SIZE.h1 : SIZE.h2 };
    if (level === 2) this.gap(4);
    // A heading keeps the start of what follows with it: two lines, or a table's header and first row.
    this.ensure(this.heightOf(text, WIDTH, style) + 4 * this.lineHeight());
    this.write(text, LEFT, this.doc.y, WIDTH, style);
    this.gap(level === 1 ? 8 : 4);
    return this;
  }

  paragraph(text: string): this {
    this.text(text, {}, PARAGRAPH_GAP);
    return this;
  }

  private text(text: string, style: TextStyle, gap: number): void {
    // No paragraph starts with a lone line at the foot of a page.
    this.ensure(Math.min(this.heightOf(text, WIDTH, style), 2 * this.lineHeight(style)));
    this.write(text, LEFT, this.doc.y, WIDTH, style);
    this.gap(gap);
  }

  /** A highlighted paragraph with a coloured bar, kept on one page. */
  private box(text: string, background: string, bar: string): void {
    const pad = 6;
    const barWidth = 3;
    const width = WIDTH - barWidth - 2 * pad;
    const height = this.heightOf(text, width) + 2 * pad;
    this.ensure(height);
    const y = this.doc.y;
    this.doc.rect(LEFT, y, WIDTH, height).fill(background);
    this.doc.rect(LEFT, y, barWidth, height).fill(bar);
    this.write(text, LEFT + barWidth + pad, y + pad, width);
    this.doc.y = y + height;
    this.gap();
  }

  private list(items: string[]): void {
    const indent = 12;
    for (const item of items) {
      this.ensure(Math.min(this.heightOf(item, WIDTH - indent), 2 * this.lineHeight()));
      const y = this.doc.y;
      this.write('•', LEFT + 2, y, indent);
      this.write(item, LEFT + indent, y, WIDTH - indent);
      this.gap(2);
    }
    this.gap(PARAGRAPH_GAP - 2);
  }

  /**
   * Label/value rows. Short values (amounts, dates) sit in a right-aligned column as wide as the widest of them, the
   * labels taking the rest; longer ones (an IBAN, an address) get the wider column.
   */
  private facts(rows: [string, string][]): void {
    if (rows.length === 0) return;
    const gutter = 4 * MM;
    const valueStyle: TextStyle = { font: BOLD };
    const labelStyle: TextStyle = { color: COLOR.muted };
    const widestValue = Math.max(...rows.map(([, value]) => this.widthOf(value, valueStyle)));
    const amounts = widestValue <= 0.3 * WIDTH;
    // A column as wide as its text still wraps it, by rounding: one point of slack.
    const valueWidth = amounts
      ? widestValue + 1
      : WIDTH - gutter - Math.min(Math.max(...rows.map(([label]) => this.widthOf(label, labelStyle))) + 1, 0.42 * WIDTH);
    const labelShare = (WIDTH - valueWidth) / WIDTH;
    this.drawTable({
      columns: [
        { header: '', width: labelShare },
        { header: '', width: 1 - labelShare, align: amounts ? 'right' : 'left' },
      ],
      rows,
    }, [labelStyle, valueStyle]);
  }

  /** A table whose header row is repeated at the top of each page it runs onto. */
  table(table: Table): this {
    const style: TextStyle = table.size === 'small' ? { size: SIZE.small } : {};
    return this.drawTable(table, table.columns.map(() => style));
  }

  private drawTable(table: Table, cellStyles: TextStyle[]): this {
    const padY = 1.5;
    const gutter = 4 * MM;
    const xs: number[] = [];
    let x = LEFT;
    for (const column of table.columns) {
      xs.push(x);
      x += column.width * WIDTH;
    }
    const widths = table.columns.map((column, i) => column.width * WIDTH - (i < table.columns.length - 1 ? gutter : 0));
    const header = table.columns.some((column) => column.header);
    const rowHeight = (cells: string[], style: (i: number) => TextStyle) =>
      Math.max(...cells.map((cell, i) => this.heightOf(cell || ' ', widths[i], style(i)))) + 2 * padY;
    const drawRow = (cells: string[], style: (i: number) => TextStyle, height: number) => {
      const y = this.doc.y;
      cells.forEach((cell, i) => this.write(cell, xs[i], y + padY, widths[i], { ...style(i), align: table.columns[i].align }));
      this.doc.y = y + height;
      this.rule(this.doc.y);
    };
    const headerStyle = (): TextStyle => ({ font: BOLD, size: SIZE.small });
    const headerHeight = header ? rowHeight(table.columns.map((c) => c.header), headerStyle) : 0;
    const drawHeader = () => {
      this.rule(this.doc.y);
      if (header) drawRow(table.columns.map((c) => c.header), headerStyle, headerHeight);
    };
    const bodyStyle = (i: number): TextStyle => cellStyles[i] ?? {};
    this.ensure(headerHeight + rowHeight(table.rows[0] ?? [''], bodyStyle));
    drawHeader();
    for (const cells of table.rows) {
      const height = rowHeight(cells, bodyStyle);
      const page = this.doc.bufferedPageRange().count;
      this.ensure(height);
      if (this.doc.bufferedPageRange().count !== page) drawHeader();
      drawRow(cells, bodyStyle, height);
    }
    this.gap(PARAGRAPH_GAP + 2);
    return this;
  }

  private rule(y: number): void {
    this.doc.moveTo(LEFT, y).lineTo(LEFT + WIDTH, y).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
  }

  /**
   * The closing formula, room for the handwritten signature, then who signs, for whom, on the right half as French
   * letters do; all on one page.
   */
  signature(signature: Signature): this {
    const x = LEFT + WIDTH / 2;
    const width = WIDTH / 2;
    const lines = `${signature.title}\n${signature.organisation}`;
    const room = 10 * MM;
    this.ensure(this.heightOf(signature.closing, WIDTH) + room + this.lineHeight({ font: BOLD }) + this.heightOf(lines, width));
    this.write(signature.closing, LEFT, this.doc.y, WIDTH);
    this.doc.y += room;
    this.write(signature.name, x, this.doc.y, width, { font: BOLD });
    this.write(lines, x, this.doc.y, width);
    return this;
  }

  private pageLabel(page: number, pages: number): string {
    return this.options.language === 'fr' ? `Page ${page}/${pages}` : `Page ${page} of ${pages}`;
  }

  private footerHeight(): number {
    return this.heightOf(this.options.footer, WIDTH - PAGE_NUMBER_WIDTH, { size: SIZE.footer });
  }

  /** Numbers the pages, puts the legal mentions at the foot of each, and resolves with the PDF's bytes. */
  finish(): Promise<Uint8Array> {
    const pages = this.doc.bufferedPageRange().count;
    const style: TextStyle = { size: SIZE.footer, color: COLOR.muted };
    for (let page = 0; page < pages; page += 1) {
      this.doc.switchToPage(page);
      // The footer sits in the bottom margin: without it, pdfkit would start a new page to write there.
      this.doc.page.margins.bottom = 0;
      const top = A4.height - FOOT - this.footerHeight();
      this.rule(top - 2 * MM);
      this.write(this.options.footer, LEFT, top, WIDTH - PAGE_NUMBER_WIDTH, style);
      this.write(this.pageLabel(page + 1, pages), LEFT, top, WIDTH, { ...style, align: 'right' });
    }
    this.doc.end();
    return this.bytes;
  }
}
