/**
 * The parties as a formal notice names them (Code civil 1344 wants both identified), in the words the email, the
 * letter and the evidence file share: the debtor by name, legal identifier and postal address.
 */
import { isSiren, isSiret, isVatNumber } from '../domain/identifiers';
import type { InvoiceRecord } from '../domain/invoice';
import type { Language } from './labels';

type Customer = InvoiceRecord['customer'];

/** « SIREN 732 829 320 », « SIRET 732 829 320 00074 », « TVA intracommunautaire FR32732829320 »: the number as printed, with its name. */
export function legalIdLabel(legalId: string, language: Language): string {
  const compact = legalId.replace(/[\s.]/g, '');
  if (isSiren(compact)) return `SIREN ${compact.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')}`;
  if (isSiret(compact)) return `SIRET ${compact.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4')}`;
  if (isVatNumber(compact)) return `${language === 'fr' ? 'TVA intracommunautaire' : 'VAT'} ${compact}`;
  return legalId;
}

/**
 * The country line of an address posted from France: La Poste reads the country of destination in French, in
 * capitals, on the last line; none for France itself.
 */
export function postalCountry(country: string): string | undefined {
  if (country === 'FR') return undefined;
  return (new Intl.DisplayNames(['fr-FR'], { type: 'region', fallback: 'code' }).of(country) ?? country).toLocaleUpperCase('fr-FR');
}

/** The lines a postman reads under the addressee's name: street lines, postal code and city, country. */
export function addressLines(address: NonNullable<Customer['address']>): string[] {
  const country = postalCountry(address.country);
  return [...address.lines, `${address.postalCode} ${address.city}`, ...(country ? [country] : [])];
}

/** The debtor as a formal notice names it: name, legal identifier and address, each when the billing system gave it. */
export function debtorLines(customer: Customer, language: Language): string[] {
  return [
    customer.name,
    ...(customer.legalId ? [legalIdLabel(customer.legalId, language)] : []),
    ...(customer.address ? addressLines(customer.address) : []),
  ];
}
