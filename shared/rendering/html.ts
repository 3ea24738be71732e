/**
 * Safe HTML, for the emails and the customer pages alike: every value interpolated into the `html` tag is escaped
 * unless it is markup this module made, so a customer's message or name can never become markup.
 */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * HTML that is already safe. The class is not exported: only `html` (and the helpers built on it) can make one,
 * so a string from a customer can never pass for markup, even one shaped like `{ value: '<script>' }`.
 */
class TrustedHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export type SafeHtml = TrustedHtml;

type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  // null/undefined/false render as nothing so that `${condition && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof TrustedHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(value);
}

/** Tagged template: every interpolated value is escaped unless it is SafeHtml made by this module. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1];
  return new TrustedHtml(out);
}

/**
 * Only web, mail and phone links survive: an attacker-controlled `javascript:` or `data:` URL in a PDF link or a
 * configuration value must not become a clickable script.
 */
export function safeUrl(url: string): string {
  return /^(https?:|mailto:|tel:)/i.test(url.trim()) ? url.trim() : '#';
}

/** Newlines in plain data (addresses, messages) become line breaks; the text itself stays escaped. */
export function multiline(text: string): SafeHtml {
  const lines = text.split(/\r?\n/);
  return html`${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}`;
}
