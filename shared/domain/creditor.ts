/**
 * The creditor: the company that sends the invoices and the reminders. Its legal mentions (Code de commerce R123-237
 * and R123-238: name, legal form, share capital, registered office, SIREN and the RCS of its registry) are required,
 * because every email and page signs with them and a formal notice must identify its sender.
 */
import * as z from 'zod/mini';
import { formatSiren, isSiren } from './identifiers';

/** Builds a schema; marked free of side effects so esbuild drops it from bundles that never parse with it. */
/* @__NO_SIDE_EFFECTS__ */
function schema<T>(build: () => T): T {
  return build();
}

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * Checked where the deployment is configured (CDK synth, `infra/settings.ts`), so that a Lambda bundle which only
 * signs emails with the creditor does not carry zod for it.
 */
export const Creditor = schema(() => z.strictObject({
  /** Dénomination sociale. */
  name: text(200),
  /** SAS, SARL, SA... */
  legalForm: text(60),
  /** "10 000 €", as the mention reads; absent for forms without share capital. */
  shareCapital: z.optional(text(60)),
  siren: z.string().check(z.refine(isSiren, 'a SIREN: nine digits with a valid checksum')),
  /** The city of the registry ("RCS Paris"); absent for a creditor not registered at an RCS. */
  rcsCity: z.optional(text(100)),
  /** The registered office, lines separated by newlines. */
  address: text(300),
  vatNumber: z.optional(text(20)),
  iban: text(42),
  bic: text(11),
  bankName: z.optional(text(100)),
  /** Who signs the emails and answers the phone: a named team, never an anonymous "service". */
  team: z.strictObject({ name: text(100), phone: text(40) }),
}));
export type Creditor = z.infer<typeof Creditor>;

/**
 * What a creditor read from the environment lacks, by field: CDK validated it with `Creditor` before writing it, so a
 * handler only guards against a hand-edited variable, without zod in its bundle.
 */
export function missingCreditorFields(value: unknown): string[] {
  const creditor = (value ?? {}) as Partial<Record<string, unknown>> & { team?: Partial<Record<string, unknown>> };
  const filled = (field: unknown) => typeof field === 'string' && field.trim().length > 0;
  const missing: string[] = ['name', 'legalForm', 'siren', 'address', 'iban', 'bic'].filter((field) => !filled(creditor[field]));
  if (!filled(creditor.team?.name)) missing.push('team.name');
  if (!filled(creditor.team?.phone)) missing.push('team.phone');
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
