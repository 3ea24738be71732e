/**
 * The email's HTML frame and one small body model rendered both as HTML and as plain text, so the two parts of every
 * email always say the same things.
 *
 * Email clients (Outlook's Word engine above all) ignore <style> blocks, flexbox and most CSS: everything here is
 * tables with role="presentation" and inline styles.
 */
import { html, multiline, safeUrl, type SafeHtml } from '../html';

// Segoe UI first: Outlook on Windows does not walk a font stack and falls back to Times New Roman when the first
// family is missing; other clients skip Segoe UI and find their own system font.
// Markup (a literal of the html tag) so the quotes stay quotes in style attributes instead of becoming entities.
const FONT = html`font-family:'Segoe UI',-apple-system,BlinkMacSystemFont,Roboto,Helvetica,Arial,sans-serif`;
const TEXT_COLOR = '#1f2937';
const MUTED_COLOR = '#4b5563';
const ACCENT = '#1d4ed8';
const BORDER = '#d1d5db';

export type ButtonVariant = 'primary' | 'secondary';

/**
 * A "bulletproof" button: the colour sits on the table cell (Outlook ignores padding and background on links) and
 * the link carries a border of the same colour so the whole box is clickable in the clients that honour it.
 */
export function button(url: string, label: string, variant: ButtonVariant = 'primary'): SafeHtml {
  const background = variant === 'primary' ? ACCENT : '#ffffff';
  const color = variant === 'primary' ? '#ffffff' : ACCENT;
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;margin:0 0 12px 0"><tr><td align="center" bgcolor="${background}" style="background-color:${background};border:2px solid ${ACCENT};border-radius:6px"><a href="${safeUrl(url)}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 22px;border:1px solid ${background};border-radius:6px;${FONT};font-size:16px;font-weight:600;line-height:20px;color:${color};text-decoration:none">${label}</a></td></tr></table>`;
}

/** A two-column label/value table; values may be SafeHtml (a link) or plain strings (escaped). */
export function factsTable(rows: [string, string | SafeHtml][]): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;margin:0 0 16px 0;border:1px solid ${BORDER}">${rows.map(
    ([label, value]) =>
      html`<tr><td valign="top" style="padding:8px 12px;border-bottom:1px solid ${BORDER};${FONT};font-size:14px;line-height:20px;color:${MUTED_COLOR};width:40%">${label}</td><td valign="top" style="padding:8px 12px;border-bottom:1px solid ${BORDER};${FONT};font-size:14px;line-height:20px;color:${TEXT_COLOR};font-weight:600;word-break:break-word">${typeof value === 'string' ? multiline(value) : value}</td></tr>`,
  )}</table>`;
}

export interface LayoutOptions {
  lang: string;
  title: string;
  /** The line inbox lists show after the subject; hidden in the message itself. */
  preheader: string;
  body: SafeHtml;
  footer?: SafeHtml | string;
}

/** A complete HTML document: one centred 600px column that shrinks on phones. */
export function layout({ lang, title, preheader, body, footer }: LayoutOptions): string {
  const footerHtml = typeof footer === 'string' ? multiline(footer) : footer;
  // The zero-width spacers stop clients from filling the preview with the body text after the preheader.
  const spacer = Array.from({ length: 40 }, () => html`&#847;&zwnj;&nbsp;`);
  return `<!DOCTYPE html>\n${html`<html lang="${lang}" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="x-apple-disable-message-reformatting"><meta name="color-scheme" content="light only"><meta name="supported-color-schemes" content="light only"><title>${title}</title></head><body style="margin:0;padding:0;background-color:#f3f4f6;${FONT}"><div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${preheader}${spacer}</div><table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;background-color:#f3f4f6"><tr><td align="center" style="padding:24px 12px"><!--[if mso]><table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600"><tr><td><![endif]--><table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;max-width:600px;background-color:#ffffff;border:1px solid ${BORDER}"><tr><td style="padding:28px 28px 12px 28px;${FONT};font-size:16px;line-height:24px;color:${TEXT_COLOR}">${body}</td></tr>${footerHtml && html`<tr><td style="padding:16px 28px 24px 28px;border-top:1px solid ${BORDER};${FONT};font-size:12px;line-height:18px;color:${MUTED_COLOR}">${footerHtml}</td></tr>`}</table><!--[if mso]></td></tr></table><![endif]--></td></tr></table></body></html>`}`;
}

/**
 * The body of an email as a list of blocks. Each kind of email builds its blocks once; `composeEmail` renders the
 * HTML and the plain-text part from them, so a fact cannot appear in one part and be missing from the other.
 */
export type Block =
  /** Level 1 is the email's title, level 2 a section title. */
  | { type: 'heading'; text: string; level?: 1 | 2 }
  | { type: 'paragraph'; text: string }
  /** A highlighted paragraph (bank-details warning, legal statement). */
  | { type: 'notice'; text: string; tone?: 'info' | 'warning' }
  | { type: 'list'; items: string[] }
  | { type: 'facts'; rows: [string, string][] }
  | { type: 'link'; label: string; url: string }
  | { type: 'buttons'; buttons: { label: string; url: string; variant?: ButtonVariant }[] }
  | { type: 'quote'; label?: string; text: string };

const P_STYLE = 'margin:0 0 16px 0';

function blockHtml(block: Block): SafeHtml {
  switch (block.type) {
    case 'heading':
      return block.level === 2
        ? html`<h2 style="margin:20px 0 10px 0;${FONT};font-size:17px;line-height:24px;font-weight:700;color:${TEXT_COLOR}">${block.text}</h2>`
        : html`<h1 style="margin:0 0 16px 0;${FONT};font-size:22px;line-height:28px;font-weight:700;color:${TEXT_COLOR}">${block.text}</h1>`;
    case 'paragraph':
      return html`<p style="${P_STYLE}">${multiline(block.text)}</p>`;
    case 'notice': {
      const [background, border] = block.tone === 'warning' ? ['#fef3c7', '#b45309'] : ['#eff6ff', ACCENT];
      return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;margin:0 0 16px 0"><tr><td bgcolor="${background}" style="background-color:${background};border-left:4px solid ${border};padding:12px 14px;${FONT};font-size:15px;line-height:22px;color:${TEXT_COLOR}">${multiline(block.text)}</td></tr></table>`;
    }
    case 'list':
      return html`<ul style="margin:0 0 16px 0;padding:0 0 0 22px">${block.items.map((item) => html`<li style="margin:0 0 6px 0">${multiline(item)}</li>`)}</ul>`;
    case 'facts':
      return factsTable(block.rows);
    case 'link':
      return html`<p style="${P_STYLE}"><a href="${safeUrl(block.url)}" target="_blank" rel="noopener" style="color:${ACCENT};text-decoration:underline">${block.label}</a></p>`;
    case 'buttons':
      return html`<div style="margin:8px 0 8px 0">${block.buttons.map((b) => button(b.url, b.label, b.variant))}</div>`;
    case 'quote':
      return html`${block.label && html`<p style="margin:0 0 6px 0;color:${MUTED_COLOR};font-size:14px">${block.label}</p>`}<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;margin:0 0 16px 0"><tr><td bgcolor="#f9fafb" style="background-color:#f9fafb;border-left:4px solid #9ca3af;padding:10px 14px;${FONT};font-size:15px;line-height:22px;color:${TEXT_COLOR};white-space:pre-wrap">${multiline(block.text)}</td></tr></table>`;
  }
}

function blockText(block: Block, lang: string): string {
  // French typography puts a narrow no-break space before a colon (it never starts a line).
  const colon = lang === 'fr' ? '\u202f: ' : ': ';
  switch (block.type) {
    case 'heading':
      return `${block.text}\n${(block.level === 2 ? '-' : '=').repeat(Math.min(block.text.length, 72))}`;
    case 'paragraph':
      return block.text;
    case 'notice':
      return `* ${block.text}`;
    case 'list':
      return block.items.map((item) => `- ${item.replace(/\n/g, '\n  ')}`).join('\n');
    case 'facts':
      return block.rows.map(([label, value]) => `${label}${colon}${value.replace(/\n/g, ', ')}`).join('\n');
    case 'link':
      return `${block.label}${colon}${block.url}`;
    case 'buttons':
      return block.buttons.map((b) => `${b.label}${colon}${b.url}`).join('\n');
    case 'quote':
      return `${block.label ? `${block.label}\n` : ''}${block.text
        .split(/\r?\n/)
        .map((line) => `> ${line}`)
        .join('\n')}`;
  }
}

/** Subjects are mail headers: a line break in data (a customer name) must not start a new header. */
export function plainSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  return subject.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

export interface ComposeOptions {
  lang: string;
  subject: string;
  preheader: string;
  blocks: Block[];
  /** Small print under the message (who sends it and why). */
  footer?: string;
}

export function composeEmail({ lang, subject, preheader, blocks, footer }: ComposeOptions) {
  const cleanSubject = plainSubject(subject);
  const body = html`${blocks.map(blockHtml)}`;
  const text = [...blocks.map((block) => blockText(block, lang)), ...(footer ? [`-- \n${footer}`] : [])].join('\n\n') + '\n';
  return {
    subject: cleanSubject,
    html: layout({ lang, title: cleanSubject, preheader, body, footer }),
    text,
  };
}
