/** French company identifiers, checked as INSEE defines them. */

/** The Luhn checksum SIREN and SIRET numbers carry. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const compact = (value: string) => value.replace(/[\s.]/g, '');

/** SIREN: nine digits with a valid checksum. */
export function isSiren(value: string): boolean {
  const digits = compact(value);
  return /^\d{9}$/.test(digits) && luhn(digits);
}

/** SIRET: fourteen digits with a valid checksum (La Poste's establishments, SIREN 356 000 000, use another rule). */
export function isSiret(value: string): boolean {
  const digits = compact(value);
  return /^\d{14}$/.test(digits) && (luhn(digits) || digits.startsWith('356000000'));
}

/** An intra-EU VAT number: two letters then 2 to 13 letters or digits (FR32123456789). */
export function isVatNumber(value: string): boolean {
  return /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(compact(value));
}

/** "000 000 000": a SIREN as it is printed. */
export function formatSiren(value: string): string {
  return compact(value).replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}
