/**
 * The creditor: the company that sends the invoices and the reminders. Its legal mentions (Code de commerce R123-237
 * and R123-238: name, legal form, share capital, registered office, SIREN and the RCS of its registry) are required,
 * because every email and page signs with them and a formal notice must identify its sender. The schema that checks
 * them at deployment is `Creditor` in `schemas.ts`; this file holds what handlers use, without zod.
 */
import { formatSiren, isSiren } from './identifiers';
import type { Creditor } from './schemas';

export type { Creditor };

/**
 * What a creditor read from the environment lacks, by field: CDK validated it with `Creditor` before writing it, so a
 * handler only guards against a hand-edited variable, without zod in its bundle.
 */
export function missingCreditorFields(value: unknown): string[] {
  const creditor = (value ?? {}) as Partial<Record<string, unknown>> & {
    team?: Partial<Record<string, unknown>>;
    signatory?: Partial<Record<string, unknown>>;
  };
  const filled = (field: unknown) => typeof field === 'string' && field.trim().length > 0;
  const missing: string[] = ['name', 'legalForm', 'siren', 'address', 'iban', 'bic'].filter((field) => !filled(creditor[field]));
  if (!filled(creditor.team?.name)) missing.push('team.name');
  if (!filled(creditor.team?.phone)) missing.push('team.phone');
  if (!filled(creditor.signatory?.name)) missing.push('signatory.name');
  if (!filled(creditor.signatory?.title)) missing.push('signatory.title');
  if (filled(creditor.siren) && !isSiren(String(creditor.siren))) missing.push('siren (not a valid SIREN)');
  return missing;
}

/** "Example SAS, SAS au capital de 10 000 €, siège social : …, SIREN 000 000 000 RCS Paris": the R123-237 line. */
export function legalMentions(creditor: Creditor, language: 'fr' | 'en'): string {
  const fr = language === 'fr';
  const parts = [
    creditor.name,
    creditor.shareCapital
      ? `${creditor.legalForm} ${fr ? 'au capital de' : 'with a share capital of'} ${creditor.shareCapital}`
      : creditor.legalForm,
    `${fr ? 'siège social\u202f:' : 'registered office:'} ${creditor.address.replace(/\s*\n\s*/g, ', ')}`,
    `SIREN ${formatSiren(creditor.siren)}${creditor.rcsCity ? ` RCS ${creditor.rcsCity}` : ''}`,
  ];
  if (creditor.vatNumber) parts.push(`${fr ? 'TVA intracommunautaire' : 'VAT'} ${creditor.vatNumber}`);
  return parts.join(', ');
}
