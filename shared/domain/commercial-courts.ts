/**
 * Which court a debtor's address points to, named only where the address makes it certain (issue 12, DESIGN.md §1
 * "After the ladder"). Pure data and string matching: no I/O.
 *
 * Why there is no complete table here. The authoritative mapping exists but is not a postal-code table:
 * - a tribunal de commerce's district is defined as the district(s) of one or more tribunaux judiciaires (Code de
 *   commerce, annexe 7-1, « Siège et ressort des tribunaux de commerce »);
 * - a tribunal judiciaire's district is defined commune by commune in the annexed tables of the Code de l'organisation
 *   judiciaire (about 35,000 communes);
 * - a postal code is not a commune: one code covers several communes and some communes have several codes (La Poste's
 *   base officielle des codes postaux), so a postal code alone cannot be placed in a district at the edges.
 * Embedding that chain would need the INSEE commune code of the debtor, and a copy of three official datasets kept up
 * to date; none was obtainable offline here. So a court is named only in the cases below, where it is certain, and
 * otherwise described as "the court whose district includes <city> (<postal code>)" with `certain: false`, to be
 * confirmed in the directory of courts on justice.fr (annuaire des juridictions).
 *
 * Certain cases:
 * - Paris: the département 75 is the single commune of Paris, which is the district of the tribunal judiciaire de
 *   Paris, itself the district of the tribunal des activités économiques de Paris (below).
 * - The seat of a court lies within that court's district: a debtor whose commune is the seat of a tribunal
 *   judiciaire is in that tribunal judiciaire's district. We use this only for the tribunaux judiciaires whose district
 *   is also, by the texts below, the district of the commercial court we name.
 * - Tribunaux des activités économiques (TAE): loi n° 2023-1059 du 20 novembre 2023, art. 26 (experiment); arrêté du
 *   5 juillet 2024 relatif à l'expérimentation du tribunal des activités économiques, art. 1 (« débute le 1er janvier
 *   2025, pour une durée de quatre ans ») and art. 2 (the twelve tribunaux de commerce designated, each with its
 *   district given as « Ressort du tribunal judiciaire de … »; Avignon covers the districts of the tribunaux judiciaires
 *   of Avignon and Carpentras). Read on https://lexbase.fr/index/source/109724796 (Légifrance JORFTEXT000049889657);
 *   the twelfth court (Versailles) was read in the Judilibre list of jurisdictions, the Lexbase excerpt being cut.
 * - Alsace-Moselle (départements 57, 67, 68): no tribunal de commerce; its jurisdiction is held by the commercial
 *   chamber of the tribunal judiciaire (Code de l'organisation judiciaire L215-2; Code de commerce L731-1 et seq.).
 *   The seats of those chambers are listed in Code de commerce annexe 7-4 (version since 9 June 2024,
 *   https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000049683548): Saverne, Strasbourg (67); Colmar,
 *   Mulhouse (68); Metz, Sarreguemines, Thionville (57). Which of a département's chambers covers a commune that is
 *   not a seat is not certain from the address.
 * - Overseas départements (971-974, 976): the commercial courts are tribunaux mixtes de commerce (Code de commerce
 *   annexe 7-4); never named here.
 *
 * Verified 2026-12 against the sources named above.
 */

export interface CourtAddress {
  lines: string[];
  postalCode: string;
  city: string;
  country: string;
}

/** Where an address lies, as far as courts are concerned. */
export type Territory =
  | { kind: 'metropole'; department: string }
  | { kind: 'alsace_moselle'; department: '57' | '67' | '68' }
  | { kind: 'overseas_department'; department: string }
  /** Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, New Caledonia, French Polynesia, Wallis and Futuna…: local courts and, in part, local rules. */
  | { kind: 'overseas_collectivity' }
  /** Outside France (ISO 3166-1 alpha-2 country). */
  | { kind: 'abroad'; country: string }
  /** A French address whose postal code is not five digits: nothing can be said from it. */
  | { kind: 'unknown' };

/** The first and last day of the TAE experiment (arrêté du 5 juillet 2024, art. 1: from 1 January 2025, four years). */
export const TAE_EXPERIMENT = { from: '2025-01-01', to: '2028-12-31' } as const;

/** What sort of court was named, for the sentences that explain it. */
export type CourtType =
  | 'tribunal_des_activites_economiques'
  /** A TAE seat, but the hand-off falls outside the experiment: what replaces it then is not known here. */
  | 'tae_seat_outside_experiment'
  | 'tribunal_de_commerce'
  | 'chambre_commerciale_alsace_moselle'
  | 'tribunal_mixte_de_commerce'
  | 'tribunal_judiciaire'
  | 'overseas_collectivity_court';

/** A French court named in a sentence: its name without article, and the article French grammar gives it. */
export interface NamedCourt {
  type: CourtType;
  /** e.g. "Tribunal des activités économiques de Paris", "chambre commerciale du tribunal judiciaire de Strasbourg". */
  fr: string;
  en: string;
  /** « le » or « la », for French sentences (« devant le Tribunal… », « devant la chambre commerciale… »). */
  article: 'le' | 'la';
  certain: boolean;
}

interface Seat {
  /** The commune, normalized (see `normalizeCity`). */
  commune: string;
  department: string;
  /** The town as written in the court's name, with its French preposition: « de Paris », « du Havre », « d’Auxerre ». */
  of: string;
}

const seat = (commune: string, department: string, of: string): Seat => ({ commune, department, of });

/**
 * The twelve tribunaux des activités économiques (arrêté du 5 juillet 2024, art. 2), by the commune of each tribunal
 * judiciaire whose district they cover. Paris is matched on the département (75) alone.
 */
const TAE_SEATS: Seat[] = [
  seat('auxerre', '89', 'd’Auxerre'),
  seat('avignon', '84', 'd’Avignon'),
  // The TAE d'Avignon covers the districts of the tribunaux judiciaires of Avignon and Carpentras.
  seat('carpentras', '84', 'd’Avignon'),
  seat('le havre', '76', 'du Havre'),
  seat('le mans', '72', 'du Mans'),
  seat('limoges', '87', 'de Limoges'),
  seat('lyon', '69', 'de Lyon'),
  seat('marseille', '13', 'de Marseille'),
  seat('nancy', '54', 'de Nancy'),
  seat('nanterre', '92', 'de Nanterre'),
  seat('paris', '75', 'de Paris'),
  seat('saint brieuc', '22', 'de Saint-Brieuc'),
  seat('versailles', '78', 'de Versailles'),
];

/** Tribunaux judiciaires whose seat commune we match (their own name: Carpentras has its own tribunal judiciaire). */
const TJ_SEATS: Seat[] = [
  ...TAE_SEATS.filter((s) => s.commune !== 'carpentras'),
  seat('carpentras', '84', 'de Carpentras'),
];

/** Seats of the commercial chambers of the tribunaux judiciaires of Alsace-Moselle (Code de commerce annexe 7-4). */
const ALSACE_MOSELLE_SEATS: Seat[] = [
  seat('saverne', '67', 'de Saverne'),
  seat('strasbourg', '67', 'de Strasbourg'),
  seat('colmar', '68', 'de Colmar'),
  seat('mulhouse', '68', 'de Mulhouse'),
  seat('metz', '57', 'de Metz'),
  seat('sarreguemines', '57', 'de Sarreguemines'),
  seat('thionville', '57', 'de Thionville'),
];

/** ISO 3166-1 codes of the overseas départements, which are France (and the EU) for these purposes. */
const OVERSEAS_DEPARTMENT_CODES: Record<string, string> = { GP: '971', MQ: '972', GF: '973', RE: '974', YT: '976' };
/** ISO 3166-1 codes of French overseas collectivities and territories with their own courts and, in part, rules. */
const OVERSEAS_COLLECTIVITY_CODES = new Set(['PM', 'BL', 'MF', 'NC', 'PF', 'WF', 'TF']);

/** "LYON CEDEX 03" → "lyon", "Saint-Étienne" → "saint etienne", "St Brieuc" → "saint brieuc", "Paris 8e" → "paris". */
export function normalizeCity(city: string): string {
  const words = city
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  const cedex = words.indexOf('cedex');
  return (cedex >= 0 ? words.slice(0, cedex) : words)
    .filter((word) => word !== '' && !/\d/.test(word) && word !== 'arrondissement')
    .map((word) => (word === 'st' ? 'saint' : word === 'ste' ? 'sainte' : word))
    .join(' ');
}

/** Where an address lies. A French postal code is five digits; the département is its first two (three overseas). */
export function territoryOf(address: CourtAddress): Territory {
  const country = address.country.toUpperCase();
  const code = address.postalCode.replace(/\s+/g, '');
  if (OVERSEAS_COLLECTIVITY_CODES.has(country)) return { kind: 'overseas_collectivity' };
  if (OVERSEAS_DEPARTMENT_CODES[country]) return { kind: 'overseas_department', department: OVERSEAS_DEPARTMENT_CODES[country] };
  if (country !== 'FR') return { kind: 'abroad', country };
  if (!/^\d{5}$/.test(code)) return { kind: 'unknown' };
  if (code.startsWith('97')) {
    const department = code.slice(0, 3);
    // 975 Saint-Pierre-et-Miquelon; 97133 Saint-Barthélemy and 97150 Saint-Martin are collectivities since 2007.
    if (department === '975' || code === '97133' || code === '97150') return { kind: 'overseas_collectivity' };
    return { kind: 'overseas_department', department };
  }
  // 98xxx: Monaco uses 980xx with its own country code; New Caledonia, French Polynesia, Wallis and Futuna.
  if (code.startsWith('98')) return { kind: 'overseas_collectivity' };
  const department = code.slice(0, 2);
  if (department === '57' || department === '67' || department === '68') return { kind: 'alsace_moselle', department };
  return { kind: 'metropole', department };
}

function findSeat(seats: Seat[], address: CourtAddress, department: string): Seat | undefined {
  if (department === '75') return seats.find((s) => s.department === '75');
  const commune = normalizeCity(address.city);
  return seats.find((s) => s.department === department && s.commune === commune);
}

const place = (address: CourtAddress) => `${address.city.trim()} (${address.postalCode.trim()})`;

/**
 * The court that hears commercial matters for a debtor established at `address` in France: the tribunal de commerce,
 * the tribunal des activités économiques where the experiment replaced it, the commercial chamber of the tribunal
 * judiciaire in Alsace-Moselle, the tribunal mixte de commerce overseas. `asOf` (YYYY-MM-DD), if given, places the
 * hand-off inside or outside the TAE experiment; without it the rules in force today (the experiment) apply.
 * Undefined for an address outside France.
 */
export function commercialCourtFor(address: CourtAddress, asOf?: string): NamedCourt | undefined {
  const territory = territoryOf(address);
  const where = place(address);
  switch (territory.kind) {
    case 'abroad':
      return undefined;
    case 'alsace_moselle': {
      const found = findSeat(ALSACE_MOSELLE_SEATS, address, territory.department);
      return found
        ? { type: 'chambre_commerciale_alsace_moselle', fr: `chambre commerciale du tribunal judiciaire ${found.of}`, en: `commercial chamber of the Tribunal judiciaire ${found.of}`, article: 'la', certain: true }
        : { type: 'chambre_commerciale_alsace_moselle', fr: `chambre commerciale du tribunal judiciaire dont le ressort comprend ${where}`, en: `commercial chamber of the tribunal judiciaire whose district includes ${where}`, article: 'la', certain: false };
    }
    case 'overseas_department':
      return { type: 'tribunal_mixte_de_commerce', fr: `tribunal mixte de commerce dont le ressort comprend ${where}`, en: `tribunal mixte de commerce whose district includes ${where}`, article: 'le', certain: false };
    case 'overseas_collectivity':
      return { type: 'overseas_collectivity_court', fr: `tribunal compétent en matière commerciale pour ${where}`, en: `court with commercial jurisdiction for ${where}`, article: 'le', certain: false };
    case 'unknown':
      return { type: 'tribunal_de_commerce', fr: `tribunal de commerce dont le ressort comprend ${where}`, en: `tribunal de commerce whose district includes ${where}`, article: 'le', certain: false };
    case 'metropole': {
      const found = findSeat(TAE_SEATS, address, territory.department);
      if (!found) {
        return { type: 'tribunal_de_commerce', fr: `tribunal de commerce dont le ressort comprend ${where}`, en: `tribunal de commerce whose district includes ${where}`, article: 'le', certain: false };
      }
      const during = asOf === undefined || (asOf >= TAE_EXPERIMENT.from && asOf <= TAE_EXPERIMENT.to);
      return during
        ? { type: 'tribunal_des_activites_economiques', fr: `Tribunal des activités économiques ${found.of}`, en: `Tribunal des activités économiques ${found.of}`, article: 'le', certain: true }
        : {
          type: 'tae_seat_outside_experiment',
          fr: `tribunal de commerce ${found.of} (tribunal des activités économiques pendant l’expérimentation de 2025 à 2028)`,
          en: `tribunal de commerce ${found.of} (the tribunal des activités économiques during the 2025–2028 experiment)`,
          article: 'le',
          certain: false,
        };
    }
  }
}

/**
 * The tribunal judiciaire for a person living at `address` in France (a consumer's injonction de payer, CPC 1406):
 * named where the commune is the seat of a tribunal judiciaire in our tables, otherwise described. Undefined abroad.
 */
export function judicialCourtFor(address: CourtAddress): NamedCourt | undefined {
  const territory = territoryOf(address);
  const where = place(address);
  if (territory.kind === 'abroad') return undefined;
  if (territory.kind === 'metropole' || territory.kind === 'alsace_moselle') {
    const seats = territory.kind === 'metropole' ? TJ_SEATS : ALSACE_MOSELLE_SEATS;
    const found = findSeat(seats, address, territory.department);
    if (found) return { type: 'tribunal_judiciaire', fr: `Tribunal judiciaire ${found.of}`, en: `Tribunal judiciaire ${found.of}`, article: 'le', certain: true };
  }
  if (territory.kind === 'overseas_collectivity') {
    return { type: 'overseas_collectivity_court', fr: `tribunal compétent pour ${where}`, en: `court with jurisdiction for ${where}`, article: 'le', certain: false };
  }
  return { type: 'tribunal_judiciaire', fr: `tribunal judiciaire dont le ressort comprend ${where}`, en: `tribunal judiciaire whose district includes ${where}`, article: 'le', certain: false };
}
