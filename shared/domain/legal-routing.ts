/**
 * The routing recommendation the evidence bundle carries at hand-off (issue 12; DESIGN.md §1 "After the ladder"): which
 * procedure the creditor can take next, before which court, on which texts, in the customer's language. Pure: no AWS,
 * no I/O, no clock (pass `asOf` for the dates that matter).
 *
 * It recommends, it does not decide: whether a customer is a trader, whether a contract is administrative, whether a
 * claim is contested are facts the creditor knows and this function does not. Where the answer turns on such a fact
 * the sentences say so, and `caveats` lists what is open. Texts and sources (verified 2026-12):
 *
 * Simplified small-claims procedure — CPCE L125-1, R125-1 et seq. (loi n° 2015-990 du 6 août 2015; décret n° 2016-285;
 * ceiling raised from 4,000 to 5,000 EUR by décret n° 2019-992 for procedures from 1 January 2020):
 * - What is counted: the claim « en principal et intérêts » (décret n° 2016-285 notice, « n'excède pas 4 000 euros »,
 *   https://www.legifrance.gouv.fr/eli/decret/2016/3/9/JUSC1527481D/jo/texte; the letter to the debtor states « le
 *   montant de la somme due en principal et intérêts, en distinguant les différents éléments de la dette », R125-2).
 *   The late-payment penalties of L441-10 are interest; the 40 EUR fixed indemnity of D441-5 is neither principal nor
 *   interest (Directive 2011/7/EU, art. 6, treats it as compensation for recovery costs), so it is left out of the
 *   comparison when the caller says how much of the total it is (`indemnityInTotal`). That is our reading of the text;
 *   no decision on it was found.
 * - The boundary: R125-1 (and the decree's notice) admit a claim that does not exceed 5,000 EUR, so 5,000.00 is
 *   within; L125-1 itself speaks of a claim « inférieure à un montant défini par décret ». The brief's "≤ 5,000" is
 *   kept; the commissaire de justice checks eligibility in any case.
 * - The debtor must agree: the commissaire de justice invites the debtor by registered letter or electronic message;
 *   the debtor has one month to accept; « L'absence de réponse dans le délai d'un mois vaut refus implicite » and « En
 *   cas de refus exprès ou implicite, le créancier pourra saisir le juge » (R125-2 III). The costs are the creditor's
 *   alone (L125-1 al. 4). It applies to any debtor, consumers included, for a contractual or statutory claim.
 *   Sources: CPCE L125-1 and R125-2 as reproduced in public code repositories; service-public.fr fiche F38307 (mirror
 *   https://dorres66.com/…xml=F38307) and fiche F1746; https://anil.org/aj-procedure-simplifiee-recouvrement-creances.
 * - A claim in another currency cannot be compared with a ceiling in euros without an exchange rate: none is invented.
 *
 * Uncontested commercial claims — CPCE L126-1 et seq., created by the law of 23 April 2026 (proposition de loi
 * « visant à instaurer une procédure simplifiée de recouvrement des créances commerciales incontestées », Sénat
 * n° 187 (2025-2026)): for « une créance ayant fait l'objet d'une facturation entre commerçants », certain, liquid and
 * due, whatever the amount; the commissaire de justice serves a commandement de payer, the debtor has one month to
 * pay or contest, then « au plus tôt huit jours après » a procès-verbal de non-contestation is drawn up and made
 * enforceable « par le greffier de la juridiction compétente en matière commerciale » (L126-2 to L126-4). In force:
 * https://entreprendre.service-public.gouv.fr/actualites/A18889 (27 April 2026: « applicable from now on », « without an
 * amount threshold »). Text read in the Senate amendments COM-1 and COM-3
 * (https://www.senat.fr/encommission/2025-2026/187/Amdt_COM-1.html, …/Amdt_COM-3.html). The same text takes invoices
 * between traders out of L125-1 (Senate text, art. 3, per amendment n° 1 rect., https://www.senat.fr/amendements/
 * 2025-2026/289/Amdt_1.html, and a secondary reading of the enacted L125-1): flagged in the report as not read on
 * Légifrance. The law's number (n° 2026-307) was only seen in a secondary source, so the sentences say "the law of
 * 23 April 2026".
 *
 * Injonction de payer — CPC 1405 et seq.; the court is « celui du lieu où demeure le ou l'un des débiteurs poursuivis »
 * (CPC 1406), for a legal person where it is established (CPC 43). Commercial court between traders and artisans
 * (C. com. L721-3, « entre commerçants, entre artisans… ou entre eux » since 1 January 2022); otherwise the tribunal
 * judiciaire (or its chambre de proximité). Tribunaux des activités économiques and Alsace-Moselle: see
 * `commercial-courts.ts`. CPC 750-1 (prior amicable attempt before the tribunal judiciaire up to 5,000 EUR) dispenses
 * a creditor who « a vainement engagé une procédure simplifiée de recouvrement des petites créances » (5°).
 *
 * Public bodies — no seizure against a public person (CGPPP L2311-1; CPCE L111-1 al. 3: « L'exécution forcée et les
 * mesures conservatoires ne sont pas applicables aux personnes qui bénéficient d'une immunité d'exécution »); a public
 * contract is an administrative contract, heard by the administrative courts. The référé-provision grants a provision
 * « lorsque l'existence de l'obligation n'est pas sérieusement contestable » (CJA R541-1; practice:
 * https://www.village-justice.com/articles/execution-des-marches-publics-passes-par-les-acheteurs-publics-refere-provision,31063.html).
 * The tribunal administratif is « celui dans le ressort duquel se trouve le lieu prévu pour l'exécution du contrat »,
 * failing that the seat of the signing authority (CJA R312-11,
 * https://www.doctrine.fr/l/texts/codes/LEGITEXT000006070933/articles/LEGIARTI000006449874) — not the debtor's
 * address, so never named. Payment of a final decision: CJA L911-9 (loi n° 80-539, art. 1: two months, then the
 * prefect or supervisory authority orders payment; for the State, the public accountant pays on request).
 *
 * Debtor abroad — European order for payment (Regulation (EC) No 1896/2006) and European Small Claims Procedure
 * (Regulation (EC) No 861/2007, up to 5,000 EUR excluding interest and costs since Regulation (EU) 2015/2421), for
 * cross-border civil and commercial claims within the EU, Denmark excepted; jurisdiction under Regulation (EU)
 * No 1215/2012 (a consumer is sued where he or she lives, art. 18(2)).
 */
import {
  commercialCourtFor,
  judicialCourtFor,
  territoryOf,
  type CourtAddress,
  type NamedCourt,
  type Territory,
} from './commercial-courts';
import { formatMoney, subtractMoney, type Money } from './money';
import type { CustomerKind } from './schemas';

/** The ceiling of the simplified small-claims procedure, in principal and interest (CPCE R125-1). */
export const SMALL_CLAIMS_CEILING: Money = { value: 500_000, currency: 'EUR' };

export type RouteProcedure =
  /** CPCE L125-1: a commissaire de justice obtains the debtor's agreement and issues an enforceable title. */
  | 'simplified_recovery'
  /** CPCE L126-1 et seq.: uncontested invoice between traders, enforceable record without a judge, any amount. */
  | 'uncontested_commercial_claim'
  /** CPC 1405 et seq. */
  | 'injonction_de_payer'
  /** Référé-provision before the tribunal administratif (CJA R541-1). */
  | 'administrative_court'
  /** The debtor is outside France: European procedures or foreign courts. */
  | 'cross_border';

/** Where the claim stands against the 5,000 EUR ceiling of the simplified small-claims procedure. */
export type SmallClaimsStanding =
  | 'within'
  | 'above'
  /** The claim is not in euros: no exchange rate is applied. */
  | 'not_comparable'
  /** The ceiling plays no part in this route (public body, debtor abroad). */
  | 'not_applicable';

/** What the recommendation leaves open, for the operator to check. */
export type RouteCaveat =
  /** Business customer: whether it is a trader (commerçant) decides between L126-1 and L125-1, and between courts. */
  | 'trader_status_unknown'
  /** The court is described, not named: confirm it in the directory of courts on justice.fr. */
  | 'court_to_confirm'
  | 'no_address'
  | 'amount_not_comparable'
  | 'debtor_abroad'
  /** French overseas collectivity: local courts and, in part, local rules. */
  | 'overseas_rules'
  /** The hand-off falls outside the 2025-2028 TAE experiment: the court's name then is not known here. */
  | 'tae_experiment_over';

export interface RouteInput {
  kind: CustomerKind;
  /** What is claimed (principal, penalties, indemnity), integer minor units. */
  total: Money;
  /**
   * The part of `total` that is the fixed recovery indemnity (D441-5), if any: R125-1 counts principal and interest,
   * so it is left out of the comparison with the ceiling. Same currency as `total`.
   */
  indemnityInTotal?: Money;
  debtorAddress?: CourtAddress;
  language: 'fr' | 'en';
  /** The hand-off day (YYYY-MM-DD), for the TAE experiment (1 January 2025 to 31 December 2028); today's rules without it. */
  asOf?: string;
}

export interface LegalRoute {
  /** The first step recommended. */
  procedure: RouteProcedure;
  /** Where the claim goes if that first step fails (refusal, silence, contest). */
  fallback?: RouteProcedure;
  smallClaims: SmallClaimsStanding;
  /** The amount compared with the ceiling (EUR, principal and interest), when a comparison was made. */
  comparedAmount?: Money;
  /** The court of the court step (injonction de payer, référé-provision), in the output language, without article. */
  court?: { name: string; certain: boolean };
  /** The texts the recommendation rests on. */
  basis: string[];
  title: string;
  /** The sentences to print, in the language asked. */
  lines: string[];
  caveats: RouteCaveat[];
}

/** ISO 3166-1 codes of the EU Member States other than France (Greece also as EL) and other than Denmark. */
const EU_EXCEPT_FR_DK = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'EE', 'FI', 'DE', 'GR', 'EL', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL',
  'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);

const NBSP = '\u00a0';
const NNBSP = '\u202f';

export function recommendRoute(input: RouteInput): LegalRoute {
  const territory = input.debtorAddress ? territoryOf(input.debtorAddress) : undefined;
  if (territory?.kind === 'abroad') return crossBorder(input, territory.country);
  if (input.kind === 'public') return publicBody(input, territory);
  if (input.kind === 'consumer') return consumer(input, territory);
  return business(input, territory);
}

// ── Shared pieces ─────────────────────────────────────────────────────────────────────────────────────────────────

type Say = (en: string, fr: string) => string;

function speaker(language: 'fr' | 'en'): Say {
  return (en, fr) => (language === 'fr' ? fr : en);
}

function standing(input: RouteInput): { smallClaims: 'within' | 'above' | 'not_comparable'; comparedAmount?: Money } {
  if (input.total.currency !== SMALL_CLAIMS_CEILING.currency) return { smallClaims: 'not_comparable' };
  const indemnity = input.indemnityInTotal;
  const compared = indemnity && indemnity.value > 0 ? subtractMoney(input.total, indemnity) : input.total;
  const comparedAmount = { value: Math.max(0, compared.value), currency: compared.currency };
  return { smallClaims: comparedAmount.value <= SMALL_CLAIMS_CEILING.value ? 'within' : 'above', comparedAmount };
}

function amountLines(input: RouteInput, say: Say, comparedAmount?: Money): string[] {
  const money = (m: Money) => formatMoney(m, input.language);
  const lines = [say(`Amount claimed: ${money(input.total)}.`, `Montant réclamé${NNBSP}: ${money(input.total)}.`)];
  if (comparedAmount && comparedAmount.value !== input.total.value && input.indemnityInTotal) {
    lines.push(say(
      `The small-claims ceiling counts principal and interest only, here ${money(comparedAmount)}: the fixed recovery indemnity of ${money(input.indemnityInTotal)} is left out.`,
      `Le plafond des petites créances s’apprécie en principal et intérêts, soit ici ${money(comparedAmount)}, sans l’indemnité forfaitaire pour frais de recouvrement de ${money(input.indemnityInTotal)}.`,
    ));
  }
  return lines;
}

/** The small-claims sentences; `prefix` introduces the condition (business: "if the customer is not a trader, "). */
function smallClaimsLines(input: RouteInput, say: Say, smallClaims: 'within' | 'above' | 'not_comparable', prefix?: { en: string; fr: string }): string[] {
  const ceiling = formatMoney(SMALL_CLAIMS_CEILING, input.language);
  const lead = (en: string, fr: string) => (prefix ? say(`${prefix.en}${en}`, `${prefix.fr}${fr}`) : say(capitalize(en), capitalize(fr)));
  if (smallClaims === 'within') {
    return [
      lead(
        `a commissaire de justice can first try the simplified small-claims procedure (CPCE L125-1), the claim not exceeding ${ceiling} in principal and interest (CPCE R125-1).`,
        `un commissaire de justice peut d’abord mettre en œuvre la procédure simplifiée de recouvrement des petites créances (CPCE L125-1), la créance ne dépassant pas ${ceiling} en principal et intérêts (CPCE R125-1).`,
      ),
      say(
        'That procedure needs the debtor’s agreement on the amount and on how to pay, and fails if the debtor refuses or does not answer within one month; the creditor then goes to court. Its costs are borne by the creditor alone.',
        'Cette procédure suppose l’accord du débiteur sur le montant et les modalités du paiement. Elle échoue s’il refuse ou ne répond pas dans le délai d’un mois, et le créancier saisit alors le juge. Ses frais sont à la charge exclusive du créancier.',
      ),
    ];
  }
  if (smallClaims === 'above') {
    return [lead(
      `the simplified small-claims procedure (CPCE L125-1, R125-1) is not open, the claim exceeding ${ceiling} in principal and interest.`,
      `la procédure simplifiée de recouvrement des petites créances (CPCE L125-1, R125-1) n’est pas ouverte, la créance dépassant ${ceiling} en principal et intérêts.`,
    )];
  }
  return [lead(
    `whether the simplified small-claims procedure is open cannot be said. Its ceiling of ${ceiling} (CPCE R125-1) is set in euros, this claim is in ${input.total.currency}, and no exchange rate is applied here.`,
    `il n’est pas possible de dire si la procédure simplifiée de recouvrement des petites créances est ouverte. Son plafond de ${ceiling} (CPCE R125-1) est fixé en euros, cette créance est en ${input.total.currency}, et aucun taux de change n’est appliqué ici.`,
  )];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const courtEn = (court: NamedCourt) => `the ${court.en}`;
const courtFr = (court: NamedCourt) => `${court.article} ${court.fr}`;

function courtOutput(court: NamedCourt | undefined, language: 'fr' | 'en'): LegalRoute['court'] {
  return court ? { name: language === 'fr' ? court.fr : court.en, certain: court.certain } : undefined;
}

/** Sentences that explain the court named, and where to confirm it. */
function courtNotes(court: NamedCourt | undefined, say: Say, territory: Territory | undefined): string[] {
  const lines: string[] = [];
  if (court?.type === 'tribunal_des_activites_economiques') {
    lines.push(say(
      'Since 1 January 2025, and for four years, this tribunal des activités économiques takes the place of the tribunal de commerce (law no. 2023-1059 of 20 November 2023, art. 26).',
      `Depuis le 1er${NBSP}janvier 2025 et pour quatre ans, ce tribunal des activités économiques remplace le tribunal de commerce (loi n°${NBSP}2023-1059 du 20${NBSP}novembre 2023, art.${NBSP}26).`,
    ));
  }
  if (court?.type === 'tae_seat_outside_experiment') {
    lines.push(say(
      'The tribunal des activités économiques is an experiment from 1 January 2025 to 31 December 2028: which court sits there on this date is not known here.',
      `Le tribunal des activités économiques est une expérimentation du 1er${NBSP}janvier 2025 au 31${NBSP}décembre 2028. La juridiction qui y siège à cette date n’est pas connue ici.`,
    ));
  }
  if (court?.type === 'chambre_commerciale_alsace_moselle') {
    lines.push(say(
      'In the Bas-Rhin, Haut-Rhin and Moselle there is no tribunal de commerce: commercial cases go to the commercial chamber of the tribunal judiciaire (COJ L215-2).',
      'Dans le Bas-Rhin, le Haut-Rhin et la Moselle, il n’y a pas de tribunal de commerce. Les affaires commerciales relèvent de la chambre commerciale du tribunal judiciaire (COJ L215-2).',
    ));
  }
  if (court?.type === 'tribunal_mixte_de_commerce') {
    lines.push(say(
      'In the overseas départements, commercial cases go to the tribunal mixte de commerce.',
      'Dans les départements d’outre-mer, les affaires commerciales relèvent du tribunal mixte de commerce.',
    ));
  }
  if (territory?.kind === 'overseas_collectivity') {
    lines.push(say(
      'This address is in a French overseas collectivity, which has its own courts and, in part, its own rules: check the procedure there.',
      'Cette adresse se trouve dans une collectivité d’outre-mer, qui a ses propres juridictions et pour partie ses propres règles. La procédure est à vérifier sur place.',
    ));
  }
  if (court && !court.certain) {
    lines.push(say(
      'Confirm which court covers this address in the directory of courts on justice.fr (annuaire des juridictions).',
      'La juridiction compétente pour cette adresse est à vérifier dans l’annuaire des juridictions de justice.fr.',
    ));
  }
  return lines;
}

function courtCaveats(court: NamedCourt | undefined, territory: Territory | undefined, address: CourtAddress | undefined): RouteCaveat[] {
  const caveats: RouteCaveat[] = [];
  if (!address) caveats.push('no_address');
  if (court && !court.certain) caveats.push('court_to_confirm');
  if (court?.type === 'tae_seat_outside_experiment') caveats.push('tae_experiment_over');
  if (territory?.kind === 'overseas_collectivity') caveats.push('overseas_rules');
  return caveats;
}

const INJONCTION_BASIS = ['CPC 1405 à 1425 (injonction de payer)', 'CPC 1406 (juridiction du lieu où demeure le débiteur)'];
const SMALL_CLAIMS_BASIS = [
  'CPCE L125-1 (procédure simplifiée de recouvrement des petites créances)',
  'CPCE R125-1 et s. (plafond de 5000 EUR en principal et intérêts, accord du débiteur)',
];

// ── Business ──────────────────────────────────────────────────────────────────────────────────────────────────────

function business(input: RouteInput, territory: Territory | undefined): LegalRoute {
  const say = speaker(input.language);
  const { smallClaims, comparedAmount } = standing(input);
  const court = input.debtorAddress ? commercialCourtFor(input.debtorAddress, input.asOf) : undefined;

  const lines = [
    ...amountLines(input, say, comparedAmount),
    say(
      'If the customer is a trader (commerçant) and does not contest the invoice, a commissaire de justice can recover it whatever the amount, under the procedure for uncontested commercial claims created by the law of 23 April 2026 (CPCE L126-1 et seq.).',
      `Si le client est commerçant et ne conteste pas la facture, un commissaire de justice peut la recouvrer quel qu’en soit le montant, par la procédure de recouvrement des créances commerciales incontestées créée par la loi du 23${NBSP}avril 2026 (CPCE L126-1 et suivants).`,
    ),
    say(
      'The commissaire de justice serves a demand to pay and the customer has one month to pay or contest. Failing both, the commissaire de justice records the absence of contest (procès-verbal de non-contestation), and the registrar of the commercial court makes that record enforceable.',
      'Le commissaire de justice signifie un commandement de payer et le client dispose d’un mois pour payer ou contester. À défaut, le commissaire de justice dresse un procès-verbal de non-contestation, que le greffier de la juridiction commerciale rend exécutoire.',
    ),
    say(
      'The same law closes the simplified small-claims procedure to invoices between traders (CPCE L125-1).',
      'La même loi ferme la procédure simplifiée de recouvrement des petites créances aux factures entre commerçants (CPCE L125-1).',
    ),
    court
      ? say(
        `If the customer contests, or the procedure fails, the creditor applies for an injonction de payer (CPC 1405 et seq.) to ${courtEn(court)}, the court for the place where the customer is established (CPC 1406).`,
        `Si le client conteste, ou si la procédure échoue, le créancier présente une requête en injonction de payer (CPC 1405 et suivants) devant ${courtFr(court)}, juridiction du lieu où le client est établi (CPC 1406).`,
      )
      : say(
        'If the customer contests, or the procedure fails, the creditor applies for an injonction de payer (CPC 1405 et seq.) to the commercial court for the place where the customer is established (CPC 1406). No address is on file for the customer, so that court cannot be named.',
        `Si le client conteste, ou si la procédure échoue, le créancier présente une requête en injonction de payer (CPC 1405 et suivants) devant la juridiction commerciale du lieu où le client est établi (CPC 1406). Aucune adresse du client n’est connue, cette juridiction ne peut donc pas être désignée.`,
      ),
    ...courtNotes(court, say, territory),
    ...smallClaimsLines(input, say, smallClaims, {
      en: 'If the customer is not a trader (an artisan, a liberal profession, an association…), ',
      fr: `Si le client n’est pas commerçant (artisan, profession libérale, association…), `,
    }),
    say(
      'If the customer is neither a trader nor an artisan, the injonction de payer goes to the tribunal judiciaire for the place where it is established instead of the commercial court (C. com. L721-3).',
      'Si le client n’est ni commerçant ni artisan, la requête en injonction de payer relève du tribunal judiciaire du lieu où il est établi, et non de la juridiction commerciale (C. com. L721-3).',
    ),
  ];

  const caveats: RouteCaveat[] = ['trader_status_unknown', ...courtCaveats(court, territory, input.debtorAddress)];
  if (smallClaims === 'not_comparable') caveats.push('amount_not_comparable');
  return {
    procedure: 'uncontested_commercial_claim',
    fallback: 'injonction_de_payer',
    smallClaims,
    ...(comparedAmount ? { comparedAmount } : {}),
    ...(court ? { court: courtOutput(court, input.language) } : {}),
    basis: [
      'CPCE L126-1 à L126-5 (loi du 23 avril 2026, créances commerciales incontestées)',
      ...SMALL_CLAIMS_BASIS,
      ...INJONCTION_BASIS,
      'C. com. L721-3 (compétence du tribunal de commerce)',
      ...courtBasis(court),
    ],
    title: say(
      'Recovery of an uncontested commercial claim by a commissaire de justice, then injonction de payer',
      'Recouvrement d’une créance commerciale incontestée par commissaire de justice, puis injonction de payer',
    ),
    lines,
    caveats,
  };
}

function courtBasis(court: NamedCourt | undefined): string[] {
  if (court?.type === 'tribunal_des_activites_economiques' || court?.type === 'tae_seat_outside_experiment') {
    return ['Loi n° 2023-1059 du 20 novembre 2023, art. 26, et arrêté du 5 juillet 2024 (tribunaux des activités économiques)'];
  }
  if (court?.type === 'chambre_commerciale_alsace_moselle') {
    return ['COJ L215-2, C. com. L731-1 et s. et annexe 7-4 (chambres commerciales d’Alsace-Moselle)'];
  }
  return [];
}

// ── Consumer ──────────────────────────────────────────────────────────────────────────────────────────────────────

function consumer(input: RouteInput, territory: Territory | undefined): LegalRoute {
  const say = speaker(input.language);
  const { smallClaims, comparedAmount } = standing(input);
  const court = input.debtorAddress ? judicialCourtFor(input.debtorAddress) : undefined;
  const ceiling = formatMoney(SMALL_CLAIMS_CEILING, input.language);

  const proximity = court && !court.certain && court.type === 'tribunal_judiciaire'
    ? say(', or to its chambre de proximité (tribunal de proximité) where one covers that place', `, ou devant sa chambre de proximité (tribunal de proximité) si l’une couvre ce lieu`)
    : '';
  const injonction = (lead: { en: string; fr: string }) => court
    ? say(
      `${lead.en} the creditor applies for an injonction de payer (CPC 1405 et seq.) to ${courtEn(court)}, the court for the place where the debtor lives (CPC 1406)${proximity}.`,
      `${lead.fr} le créancier présente une requête en injonction de payer (CPC 1405 et suivants) devant ${courtFr(court)}, juridiction du lieu où demeure le débiteur (CPC 1406)${proximity}.`,
    )
    : say(
      `${lead.en} the creditor applies for an injonction de payer (CPC 1405 et seq.) to the tribunal judiciaire for the place where the debtor lives (CPC 1406). No address is on file for the customer, so that court cannot be named.`,
      `${lead.fr} le créancier présente une requête en injonction de payer (CPC 1405 et suivants) devant le tribunal judiciaire du lieu où demeure le débiteur (CPC 1406). Aucune adresse du client n’est connue, ce tribunal ne peut donc pas être désigné.`,
    );

  const lines = [...amountLines(input, say, comparedAmount), ...smallClaimsLines(input, say, smallClaims)];
  if (smallClaims === 'within') {
    lines.push(
      injonction({ en: 'If it fails,', fr: 'En cas d’échec,' }),
      say(
        `That failed attempt also dispenses the creditor from the attempt at an amicable settlement which CPC 750-1 requires before the tribunal judiciaire for claims up to ${ceiling}.`,
        `Cette tentative vaine dispense aussi le créancier de la tentative de résolution amiable que l’article 750-1 du code de procédure civile exige devant le tribunal judiciaire pour les demandes jusqu’à ${ceiling}.`,
      ),
    );
  } else if (smallClaims === 'above') {
    lines.push(injonction({ en: 'Instead,', fr: 'À la place,' }));
  } else {
    lines.push(
      say(
        `If the claim, converted into euros, does not exceed ${ceiling} in principal and interest, the simplified small-claims procedure can be tried first.`,
        `Si la créance, convertie en euros, ne dépasse pas ${ceiling} en principal et intérêts, la procédure simplifiée de recouvrement des petites créances peut être tentée d’abord.`,
      ),
      injonction({ en: 'Otherwise,', fr: 'Sinon,' }),
    );
  }
  lines.push(...courtNotes(court, say, territory));

  const caveats = courtCaveats(court, territory, input.debtorAddress);
  if (smallClaims === 'not_comparable') caveats.push('amount_not_comparable');
  const within = smallClaims === 'within';
  return {
    procedure: within ? 'simplified_recovery' : 'injonction_de_payer',
    ...(within ? { fallback: 'injonction_de_payer' as const } : {}),
    smallClaims,
    ...(comparedAmount ? { comparedAmount } : {}),
    ...(court ? { court: courtOutput(court, input.language) } : {}),
    basis: [
      ...SMALL_CLAIMS_BASIS,
      ...INJONCTION_BASIS,
      ...(within ? ['CPC 750-1, 5° (dispense de tentative amiable après une procédure simplifiée vaine)'] : []),
    ],
    title: within
      ? say('Simplified small-claims procedure, then injonction de payer', 'Procédure simplifiée de recouvrement des petites créances, puis injonction de payer')
      : say('Injonction de payer before the tribunal judiciaire', 'Injonction de payer devant le tribunal judiciaire'),
    lines,
    caveats,
  };
}

// ── Public body ───────────────────────────────────────────────────────────────────────────────────────────────────

function publicBody(input: RouteInput, territory: Territory | undefined): LegalRoute {
  const say = speaker(input.language);
  const lines = [
    ...amountLines(input, say),
    say(
      'A public body’s debt under a public contract is claimed before the administrative courts, not by injonction de payer, and no seizure can be made against a public person (CGPPP L2311-1, CPCE L111-1). The amount does not change this route.',
      'La dette d’une personne publique née d’un contrat public se réclame devant le juge administratif, et non par injonction de payer, et aucune saisie n’est possible contre une personne publique (CGPPP L2311-1, CPCE L111-1). Le montant ne change pas cette voie.',
    ),
    say(
      'When the debt is not seriously contestable, the creditor asks the judge of the tribunal administratif for a provisional payment by référé-provision (CJA R541-1). Check first whether the contract requires a prior claim to the buyer (mémoire en réclamation).',
      'Si la dette n’est pas sérieusement contestable, le créancier demande au juge des référés du tribunal administratif une provision (référé-provision, CJA R541-1). Vérifiez d’abord si le contrat impose une réclamation préalable auprès de l’acheteur (mémoire en réclamation).',
    ),
    say(
      'The competent tribunal administratif is the one for the place where the contract is performed or, failing that, for the seat of the authority that signed it (CJA R312-11): the customer’s address does not decide it.',
      'Le tribunal administratif compétent est celui du lieu d’exécution du contrat ou, à défaut, du siège de l’autorité qui l’a signé (CJA R312-11). L’adresse du client ne le détermine pas.',
    ),
    say(
      'Once a decision fixing the amount is final, the public body must order payment within two months; failing that, the prefect or the supervisory authority orders it, and for the State the public accountant pays on request (CJA L911-9).',
      'Une fois passée en force de chose jugée la décision qui fixe le montant, la personne publique doit mandater la somme dans les deux mois. À défaut, le préfet ou l’autorité de tutelle y procède d’office, et pour l’État le comptable public paie sur demande (CJA L911-9).',
    ),
    say(
      'If the customer is a company owned by a public body, it is a private person: the business route applies instead.',
      'Si le client est une société détenue par une personne publique, c’est une personne privée et la voie prévue pour les entreprises s’applique.',
    ),
  ];
  if (territory?.kind === 'overseas_collectivity') lines.push(...courtNotes(undefined, say, territory));
  const caveats: RouteCaveat[] = ['court_to_confirm'];
  if (!input.debtorAddress) caveats.push('no_address');
  if (territory?.kind === 'overseas_collectivity') caveats.push('overseas_rules');
  return {
    procedure: 'administrative_court',
    smallClaims: 'not_applicable',
    court: {
      name: say(
        'tribunal administratif for the place where the contract is performed (CJA R312-11)',
        'tribunal administratif du lieu d’exécution du contrat (CJA R312-11)',
      ),
      certain: false,
    },
    basis: [
      'CJA R541-1 (référé-provision)',
      'CJA R312-11 (tribunal administratif du lieu d’exécution du contrat)',
      'CGPPP L2311-1 (insaisissabilité des biens des personnes publiques)',
      'CPCE L111-1 (immunité d’exécution)',
      'CJA L911-9 et loi n° 80-539 du 16 juillet 1980, art. 1 (paiement des condamnations)',
    ],
    title: say('Référé-provision before the tribunal administratif', 'Référé-provision devant le tribunal administratif'),
    lines,
    caveats,
  };
}

// ── Debtor abroad ─────────────────────────────────────────────────────────────────────────────────────────────────

function crossBorder(input: RouteInput, country: string): LegalRoute {
  const say = speaker(input.language);
  const eu = EU_EXCEPT_FR_DK.has(country);
  const consumerNote = input.kind === 'consumer' && (eu || country === 'DK')
    ? say(' A consumer can only be sued in the courts of the country where he or she lives (art. 18).', ' Un consommateur ne peut être attrait que devant les juridictions de l’État où il est domicilié (art.\u00a018).')
    : '';
  const lines = [
    ...amountLines(input, say),
    say(
      `The customer is outside France (${country}): the French procedures may not be the route. Which country’s courts have jurisdiction depends on the contract and, within the EU, on Regulation (EU) No 1215/2012.${consumerNote}`,
      `Le client est établi hors de France (${country})${NNBSP}: les procédures françaises peuvent ne pas être la voie. La juridiction compétente dépend du contrat et, dans l’Union européenne, du règlement (UE) n°${NBSP}1215/2012.${consumerNote}`,
    ),
  ];
  if (eu) {
    // The European Small Claims Procedure's ceiling is also 5,000 EUR (Regulation (EU) 2015/2421), interest and costs excluded.
    const ceiling = formatMoney(SMALL_CLAIMS_CEILING, input.language);
    lines.push(say(
      `For a cross-border claim against a debtor in another EU Member State, the European order for payment procedure (Regulation (EC) No 1896/2006) is available, and for a claim up to ${ceiling} excluding interest and costs, the European Small Claims Procedure (Regulation (EC) No 861/2007).`,
      `Contre un débiteur établi dans un autre État membre de l’Union, la procédure européenne d’injonction de payer (règlement (CE) n°${NBSP}1896/2006) est ouverte, et pour une demande jusqu’à ${ceiling} hors intérêts et frais, la procédure européenne de règlement des petits litiges (règlement (CE) n°${NBSP}861/2007).`,
    ));
  } else if (country === 'DK') {
    lines.push(say(
      'Denmark takes part neither in the European order for payment procedure nor in the European Small Claims Procedure: the claim goes to the court that has jurisdiction.',
      'Le Danemark ne participe ni à la procédure européenne d’injonction de payer ni à la procédure européenne de règlement des petits litiges. La demande relève de la juridiction compétente.',
    ));
  } else {
    lines.push(say(
      'Outside the European Union, the claim usually goes to the courts of the debtor’s country, and a French decision must be recognised there before it can be enforced. Take local advice.',
      'Hors de l’Union européenne, la demande relève en général des juridictions du pays du débiteur, et une décision française doit y être reconnue avant d’être exécutée. Un conseil local est nécessaire.',
    ));
  }
  return {
    procedure: 'cross_border',
    smallClaims: 'not_applicable',
    basis: eu
      ? [
        'Règlement (UE) n° 1215/2012 (compétence)',
        'Règlement (CE) n° 1896/2006 (injonction de payer européenne)',
        'Règlement (CE) n° 861/2007 modifié par le règlement (UE) 2015/2421 (petits litiges, 5000 EUR)',
      ]
      : ['Règlement (UE) n° 1215/2012 (compétence)'],
    title: eu
      ? say('Debtor in another EU Member State: European order for payment', `Débiteur dans un autre État membre${NNBSP}: injonction de payer européenne`)
      : say('Debtor outside France: foreign courts', `Débiteur hors de France${NNBSP}: juridictions étrangères`),
    lines,
    caveats: ['debtor_abroad'],
  };
}
