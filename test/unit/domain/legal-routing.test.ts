import { describe, expect, it } from 'vitest';
import { normalizeCity, territoryOf } from '../../../shared/domain/commercial-courts';
import { recommendRoute, type RouteInput } from '../../../shared/domain/legal-routing';
import { formatMoney, type Money } from '../../../shared/domain/money';

const eur = (value: number): Money => ({ value, currency: 'EUR' });
const address = (postalCode: string, city: string, country = 'FR') => ({ lines: ['1 rue de l’Exemple'], postalCode, city, country });

const PARIS = address('75001', 'Paris');
const LYON = address('69003', 'LYON CEDEX 03');
const STRASBOURG = address('67000', 'Strasbourg');
const HAGUENAU = address('67500', 'Haguenau');
const BORDEAUX = address('33000', 'Bordeaux');
const BERLIN = address('10115', 'Berlin', 'DE');

const route = (input: Partial<RouteInput> & Pick<RouteInput, 'kind'>) =>
  recommendRoute({ total: eur(100_000), debtorAddress: BORDEAUX, language: 'en', ...input });

// Hand-computed boundaries: 5,000.00 EUR is 500000 minor units.
const JUST_BELOW = eur(499_999); // 4,999.99 EUR
const AT_CEILING = eur(500_000); // 5,000.00 EUR
const JUST_ABOVE = eur(500_001); // 5,000.01 EUR

describe('recommendRoute: the 5,000 EUR ceiling of the simplified small-claims procedure', () => {
  it('sends a consumer owing 4,999.99 EUR to the simplified procedure first, then to an injonction de payer', () => {
    const r = route({ kind: 'consumer', total: JUST_BELOW });
    expect(r.procedure).toBe('simplified_recovery');
    expect(r.fallback).toBe('injonction_de_payer');
    expect(r.smallClaims).toBe('within');
    expect(r.comparedAmount).toEqual(eur(499_999));
  });

  it('admits a consumer claim of exactly 5,000.00 EUR, the ceiling itself', () => {
    const r = route({ kind: 'consumer', total: AT_CEILING });
    expect(r.procedure).toBe('simplified_recovery');
    expect(r.smallClaims).toBe('within');
  });

  it('sends a consumer owing 5,000.01 EUR straight to an injonction de payer, the simplified procedure being closed', () => {
    const r = route({ kind: 'consumer', total: JUST_ABOVE });
    expect(r.procedure).toBe('injonction_de_payer');
    expect(r.fallback).toBeUndefined();
    expect(r.smallClaims).toBe('above');
    expect(r.lines.join('\n')).toContain('The simplified small-claims procedure (CPCE L125-1, R125-1) is not open, the claim exceeding €5,000.00 in principal and interest.');
  });

  it('says the simplified procedure needs the debtor’s agreement and fails on refusal or one month’s silence', () => {
    const text = route({ kind: 'consumer', total: JUST_BELOW }).lines.join('\n');
    expect(text).toContain('needs the debtor’s agreement');
    expect(text).toContain('fails if the debtor refuses or does not answer within one month; the creditor then goes to court');
    expect(text).toContain('If it fails, the creditor applies for an injonction de payer');
  });

  it('tells a consumer creditor that the failed simplified procedure dispenses it from the amicable attempt of CPC 750-1', () => {
    const r = route({ kind: 'consumer', total: JUST_BELOW });
    expect(r.lines.join('\n')).toContain('CPC 750-1');
    expect(r.basis).toContain('CPC 750-1, 5° (dispense de tentative amiable après une procédure simplifiée vaine)');
  });

  it.each([
    ['4,999.99', JUST_BELOW, 'within'],
    ['5,000.00', AT_CEILING, 'within'],
    ['5,000.01', JUST_ABOVE, 'above'],
  ] as const)('recommends the uncontested-commercial-claim procedure to a business owed %s EUR and places the claim %s the ceiling for a non-trader', (_label, total, standing) => {
    const r = route({ kind: 'business', total });
    expect(r.procedure).toBe('uncontested_commercial_claim');
    expect(r.fallback).toBe('injonction_de_payer');
    expect(r.smallClaims).toBe(standing);
    expect(r.caveats).toContain('trader_status_unknown');
    const text = r.lines.join('\n');
    expect(text).toContain('whatever the amount');
    expect(text).toContain('CPCE L126-1 et seq.');
    expect(text).toContain('The same law closes the simplified small-claims procedure to invoices between traders (CPCE L125-1).');
    expect(text).toContain(standing === 'within'
      ? 'If the customer is not a trader (an artisan, a liberal profession, an association…), a commissaire de justice can first try the simplified small-claims procedure'
      : 'If the customer is not a trader (an artisan, a liberal profession, an association…), the simplified small-claims procedure (CPCE L125-1, R125-1) is not open');
  });

  it.each([
    ['4,999.99', JUST_BELOW],
    ['5,000.00', AT_CEILING],
    ['5,000.01', JUST_ABOVE],
  ] as const)('routes a public body owing %s EUR to the administrative court whatever the amount', (_label, total) => {
    const r = route({ kind: 'public', total });
    expect(r.procedure).toBe('administrative_court');
    expect(r.smallClaims).toBe('not_applicable');
    expect(r.comparedAmount).toBeUndefined();
    expect(r.lines.slice(1)).toEqual(route({ kind: 'public', total: eur(1) }).lines.slice(1));
  });

  it('leaves the 40 EUR fixed indemnity out of the comparison: 5,040.00 EUR of which 40.00 of indemnity is 5,000.00 in principal and interest', () => {
    const r = route({ kind: 'business', total: eur(504_000), indemnityInTotal: eur(4_000) });
    expect(r.comparedAmount).toEqual(eur(500_000));
    expect(r.smallClaims).toBe('within');
    expect(r.lines[1]).toBe('The small-claims ceiling counts principal and interest only, here €5,000.00: the fixed recovery indemnity of €40.00 is left out.');
  });

  it('places 5,040.01 EUR of which 40.00 of indemnity above the ceiling (5,000.01 in principal and interest)', () => {
    const r = route({ kind: 'business', total: eur(504_001), indemnityInTotal: eur(4_000) });
    expect(r.comparedAmount).toEqual(eur(500_001));
    expect(r.smallClaims).toBe('above');
  });
});

describe('recommendRoute: a claim in another currency than the euro', () => {
  it('does not compare a USD claim with the euro ceiling, and says no exchange rate is applied', () => {
    const r = route({ kind: 'consumer', total: { value: 100_000, currency: 'USD' } });
    expect(r.smallClaims).toBe('not_comparable');
    expect(r.comparedAmount).toBeUndefined();
    expect(r.procedure).toBe('injonction_de_payer');
    expect(r.caveats).toContain('amount_not_comparable');
    expect(r.lines[0]).toBe(`Amount claimed: ${formatMoney({ value: 100_000, currency: 'USD' }, 'en')}.`);
    expect(r.lines.join('\n')).toContain('this claim is in USD, and no exchange rate is applied here');
  });

  it('still recommends the uncontested-commercial-claim procedure, which has no ceiling, to a business owed JPY', () => {
    const r = route({ kind: 'business', total: { value: 1_000_000, currency: 'JPY' } });
    expect(r.procedure).toBe('uncontested_commercial_claim');
    expect(r.smallClaims).toBe('not_comparable');
  });
});

describe('recommendRoute: naming the court from the debtor’s address', () => {
  it('names the Tribunal des activités économiques de Paris for a business in Paris, with certainty', () => {
    const r = route({ kind: 'business', debtorAddress: PARIS });
    expect(r.court).toEqual({ name: 'Tribunal des activités économiques de Paris', certain: true });
    expect(r.caveats).not.toContain('court_to_confirm');
    expect(r.lines.join('\n')).toContain('to the Tribunal des activités économiques de Paris, the court for the place where the customer is established (CPC 1406)');
    expect(r.lines.join('\n')).toContain('Since 1 January 2025, and for four years, this tribunal des activités économiques takes the place of the tribunal de commerce');
  });

  it('takes any postal code of the département 75 for Paris, CEDEX included', () => {
    expect(route({ kind: 'business', debtorAddress: address('75116', 'PARIS CEDEX 16') }).court?.name).toBe('Tribunal des activités économiques de Paris');
  });

  it('names the Tribunal judiciaire de Paris for a consumer living in Paris', () => {
    expect(route({ kind: 'consumer', debtorAddress: PARIS }).court).toEqual({ name: 'Tribunal judiciaire de Paris', certain: true });
  });

  it('recognises Lyon in "LYON CEDEX 03" and names its tribunal des activités économiques', () => {
    expect(route({ kind: 'business', debtorAddress: LYON }).court).toEqual({ name: 'Tribunal des activités économiques de Lyon', certain: true });
  });

  it('names the commercial chamber of the Tribunal judiciaire de Strasbourg for a business in Strasbourg (67), Alsace-Moselle having no tribunal de commerce', () => {
    const r = route({ kind: 'business', debtorAddress: STRASBOURG });
    expect(r.court).toEqual({ name: 'commercial chamber of the Tribunal judiciaire de Strasbourg', certain: true });
    expect(r.lines.join('\n')).toContain('In the Bas-Rhin, Haut-Rhin and Moselle there is no tribunal de commerce');
    expect(r.basis.join('\n')).toContain('COJ L215-2');
  });

  it('writes « devant la chambre commerciale » in French for Strasbourg', () => {
    const r = route({ kind: 'business', debtorAddress: STRASBOURG, language: 'fr' });
    expect(r.court?.name).toBe('chambre commerciale du tribunal judiciaire de Strasbourg');
    expect(r.lines.join('\n')).toContain('devant la chambre commerciale du tribunal judiciaire de Strasbourg');
  });

  it('does not guess which Bas-Rhin chamber covers Haguenau, and says where to confirm it', () => {
    const r = route({ kind: 'business', debtorAddress: HAGUENAU });
    expect(r.court).toEqual({ name: 'commercial chamber of the tribunal judiciaire whose district includes Haguenau (67500)', certain: false });
    expect(r.caveats).toContain('court_to_confirm');
    expect(r.lines.join('\n')).toContain('directory of courts on justice.fr');
  });

  it('describes the tribunal de commerce of a city with no certain mapping (Bordeaux) without naming it', () => {
    const r = route({ kind: 'business', debtorAddress: BORDEAUX });
    expect(r.court).toEqual({ name: 'tribunal de commerce whose district includes Bordeaux (33000)', certain: false });
    expect(r.caveats).toContain('court_to_confirm');
    expect(r.lines).toContain('Confirm which court covers this address in the directory of courts on justice.fr (annuaire des juridictions).');
  });

  it('describes it in French as « le tribunal de commerce dont le ressort comprend Bordeaux (33000) »', () => {
    const r = route({ kind: 'business', debtorAddress: BORDEAUX, language: 'fr' });
    expect(r.court?.name).toBe('tribunal de commerce dont le ressort comprend Bordeaux (33000)');
    expect(r.lines.join('\n')).toContain('devant le tribunal de commerce dont le ressort comprend Bordeaux (33000), juridiction du lieu où le client est établi');
    expect(r.lines).toContain('La juridiction compétente pour cette adresse est à vérifier dans l’annuaire des juridictions de justice.fr.');
  });

  it('does not take a commune whose name merely begins like a seat’s (Saint-Brieuc-de-Mauron) for that seat', () => {
    expect(route({ kind: 'business', debtorAddress: address('56430', 'Saint-Brieuc-de-Mauron') }).court?.certain).toBe(false);
  });

  it('does not take a seat’s name in another département for that seat', () => {
    expect(route({ kind: 'business', debtorAddress: address('33000', 'Lyon') }).court?.certain).toBe(false);
  });

  it('mentions the chambre de proximité when the consumer’s tribunal judiciaire is only described', () => {
    const r = route({ kind: 'consumer', total: JUST_ABOVE, debtorAddress: BORDEAUX });
    expect(r.court).toEqual({ name: 'tribunal judiciaire whose district includes Bordeaux (33000)', certain: false });
    expect(r.lines.join('\n')).toContain('or to its chambre de proximité (tribunal de proximité) where one covers that place');
  });

  it('stops naming a tribunal des activités économiques once the 2025-2028 experiment is over', () => {
    const during = route({ kind: 'business', debtorAddress: PARIS, asOf: '2028-12-31' });
    expect(during.court?.certain).toBe(true);
    const after = route({ kind: 'business', debtorAddress: PARIS, asOf: '2029-01-01' });
    expect(after.court?.certain).toBe(false);
    expect(after.caveats).toContain('tae_experiment_over');
  });

  it('describes the tribunal mixte de commerce for an address in La Réunion', () => {
    const r = route({ kind: 'business', debtorAddress: address('97400', 'Saint-Denis') });
    expect(r.court).toEqual({ name: 'tribunal mixte de commerce whose district includes Saint-Denis (97400)', certain: false });
  });

  it('warns that a French overseas collectivity (Nouméa) has its own courts and rules', () => {
    const r = route({ kind: 'business', debtorAddress: address('98800', 'Nouméa') });
    expect(r.caveats).toContain('overseas_rules');
    expect(r.court?.certain).toBe(false);
  });

  it('never names the tribunal administratif, which follows the place where the contract is performed', () => {
    const r = route({ kind: 'public', debtorAddress: PARIS });
    expect(r.court).toEqual({ name: 'tribunal administratif for the place where the contract is performed (CJA R312-11)', certain: false });
    expect(r.lines.join('\n')).toContain('référé-provision (CJA R541-1)');
    expect(r.lines.join('\n')).toContain('no seizure can be made against a public person');
  });
});

describe('recommendRoute: no address, or a debtor outside France', () => {
  it('names no court for a business with no address on file, and says why', () => {
    const r = route({ kind: 'business', debtorAddress: undefined });
    expect(r.court).toBeUndefined();
    expect(r.caveats).toContain('no_address');
    expect(r.lines.join('\n')).toContain('No address is on file for the customer, so that court cannot be named.');
  });

  it('names no court for a consumer with no address on file either', () => {
    const r = route({ kind: 'consumer', total: JUST_BELOW, debtorAddress: undefined, language: 'fr' });
    expect(r.court).toBeUndefined();
    expect(r.procedure).toBe('simplified_recovery');
    expect(r.lines.join('\n')).toContain('Aucune adresse du client n’est connue');
  });

  it('points a debtor in Germany to the European order for payment and the European small claims procedure', () => {
    const r = route({ kind: 'business', debtorAddress: BERLIN });
    expect(r.procedure).toBe('cross_border');
    expect(r.smallClaims).toBe('not_applicable');
    expect(r.court).toBeUndefined();
    expect(r.caveats).toEqual(['debtor_abroad']);
    expect(r.lines.join('\n')).toContain('European order for payment procedure (Regulation (EC) No 1896/2006)');
    expect(r.basis).toContain('Règlement (CE) n° 1896/2006 (injonction de payer européenne)');
  });

  it('reminds that a consumer in another Member State can only be sued where he or she lives', () => {
    expect(route({ kind: 'consumer', debtorAddress: BERLIN }).lines.join('\n')).toContain('A consumer can only be sued in the courts of the country where he or she lives (art. 18).');
  });

  it('does not offer the European procedures against a debtor in Denmark, which does not take part in them', () => {
    const text = route({ kind: 'business', debtorAddress: address('1050', 'København', 'DK') }).lines.join('\n');
    expect(text).toContain('Denmark takes part neither in the European order for payment procedure nor in the European Small Claims Procedure');
  });

  it('sends a debtor outside the EU to the courts of its country', () => {
    const r = route({ kind: 'business', debtorAddress: address('10001', 'New York', 'US') });
    expect(r.procedure).toBe('cross_border');
    expect(r.title).toBe('Debtor outside France: foreign courts');
    expect(r.lines.join('\n')).toContain('Outside the European Union, the claim usually goes to the courts of the debtor’s country');
  });

  it('treats a public body abroad as a debtor abroad', () => {
    expect(route({ kind: 'public', debtorAddress: BERLIN }).procedure).toBe('cross_border');
  });

  it('treats an address in Guadeloupe given with its own country code as an overseas département of France', () => {
    expect(territoryOf(address('97110', 'Pointe-à-Pitre', 'GP'))).toEqual({ kind: 'overseas_department', department: '971' });
  });
});

describe('recommendRoute: language and French typography', () => {
  const cases: RouteInput[] = [];
  for (const kind of ['business', 'consumer', 'public'] as const) {
    for (const total of [JUST_BELOW, AT_CEILING, JUST_ABOVE, { value: 100_000, currency: 'USD' }]) {
      for (const debtorAddress of [PARIS, STRASBOURG, HAGUENAU, BORDEAUX, BERLIN, address('1050', 'København', 'DK'), address('97400', 'Saint-Denis'), undefined]) {
        cases.push({ kind, total, debtorAddress, language: 'fr', asOf: '2026-12-01' });
      }
    }
  }

  it('writes the amount with formatMoney in the language asked', () => {
    expect(route({ kind: 'consumer', total: JUST_BELOW, language: 'fr' }).lines[0]).toBe(`Montant réclamé\u202f: ${formatMoney(JUST_BELOW, 'fr')}.`);
    expect(route({ kind: 'consumer', total: JUST_BELOW, language: 'en' }).lines[0]).toBe('Amount claimed: €4,999.99.');
  });

  it('puts a narrow no-break space, never a plain one, before ; : ! ? in every French sentence and title', () => {
    for (const input of cases) {
      const r = recommendRoute(input);
      for (const text of [r.title, ...r.lines]) {
        expect(text, text).not.toMatch(/[ \u00a0][;:!?]/);
        expect(text, text).not.toMatch(/[^\u202f][;:!?](\s|$)/);
      }
    }
  });

  it('uses the typographic apostrophe in every French sentence', () => {
    for (const input of cases) {
      for (const text of recommendRoute(input).lines) expect(text, text).not.toContain("'");
    }
  });

  it('ends every sentence with a full stop', () => {
    for (const input of cases) {
      for (const language of ['fr', 'en'] as const) {
        for (const text of recommendRoute({ ...input, language }).lines) expect(text, text).toMatch(/\.$/);
      }
    }
  });

  it('writes the recommendation in French for a French reader', () => {
    const r = route({ kind: 'consumer', total: JUST_BELOW, debtorAddress: PARIS, language: 'fr' });
    expect(r.title).toBe('Procédure simplifiée de recouvrement des petites créances, puis injonction de payer');
    expect(r.lines.join('\n')).toContain('Elle échoue s’il refuse ou ne répond pas dans le délai d’un mois');
    expect(r.lines.join('\n')).toContain('devant le Tribunal judiciaire de Paris');
  });
});

describe('normalizeCity', () => {
  it.each([
    ['LYON CEDEX 03', 'lyon'],
    ['Saint-Étienne', 'saint etienne'],
    ['St Brieuc', 'saint brieuc'],
    ['Paris 8e Arrondissement', 'paris'],
    ['Le Havre', 'le havre'],
  ])('reads "%s" as "%s"', (city, expected) => {
    expect(normalizeCity(city)).toBe(expected);
  });
});
