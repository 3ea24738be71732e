/**
 * French typography for the words the product writes: a narrow no-break space (U+202F) before « ; : ! ? », inside
 * guillemets and before « % », and the typographic apostrophe. Applied to our sentences, never to URLs or codes: a
 * colon is only spaced when a space or the end of the text follows it (so "https://" and "09:00" stay as they are).
 */
const NNBSP = '\u202f';

export function frenchTypography(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]*([;:!?])(?=\s|$)/g, `${NNBSP}$1`)
    .replace(/«[ \u00a0]*/g, `«${NNBSP}`)
    .replace(/[ \u00a0]*»/g, `${NNBSP}»`)
    .replace(/(\d)[ \u00a0]?%/g, `$1${NNBSP}%`)
    .replace(/(\p{L})'(?=\p{L})/gu, '$1’');
}

/** French prose whose own words follow French typography; see `fr`. */
export type French = string & { readonly __typeset: 'fr' };

/**
 * French prose as a tagged template: typography is applied to the words written in the template, never to the data
 * set between them, so a customer's name, a reference or a message reaches the reader exactly as it was given.
 */
export function fr(words: TemplateStringsArray, ...data: unknown[]): French {
  return words.reduce((text, word, i) => text + frenchTypography(word) + (i < data.length ? String(data[i]) : ''), '') as French;
}
