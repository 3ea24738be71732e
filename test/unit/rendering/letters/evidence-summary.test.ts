import { describe, expect, it } from 'vitest';
import { computeClaim } from '../../../../shared/domain/claim';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { claimInput } from '../../../../shared/domain/invoice-claim';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { renderEvidenceSummary, type EvidenceSummaryInput } from '../../../../shared/rendering/letters/evidence-summary';
import { A4 } from '../../../../shared/rendering/pdf/document';
import { invoiceRecord, registration } from '../../../support/fixtures';
import { pdfText } from '../../../support/pdf-text';

const CALENDAR = { timeZone: 'Europe/Paris' };

/** Due 15 June 2025, handed off on 1 August, 500.00 EUR paid on 10 August, the file generated on 20 August. */
const invoice: InvoiceRecord = invoiceRecord({
  issueDate: '2025-05-16',
  dueDate: '2025-06-15',
  status: 'handed_off',
  handedOffAt: '2025-08-01T08:00:00.000Z',
  payments: [{ date: '2025-08-10', value: 50000 }],
  outstanding: { value: 73456, currency: 'EUR' },
  customer: {
    ...registration.customer,
    legalId: '73282932000074',
    address: { lines: ['4 place du Môle'], postalCode: '34200', city: 'Sète', country: 'FR' },
  },
});

const SHA = (c: string) => c.repeat(64);

function input(overrides: Partial<EvidenceSummaryInput> = {}): EvidenceSummaryInput {
  return {
    language: 'fr',
    generatedAt: '2025-08-20T09:30:00.000Z',
    timeZone: 'Europe/Paris',
    creditor: EXAMPLE_CREDITOR,
    invoice,
    claimAtHandOff: computeClaim({ ...claimInput(invoice, CALENDAR), payments: [] }, '2025-08-01'),
    claim: computeClaim(claimInput(invoice, CALENDAR), '2025-08-20'),
    payments: [{ paidAt: '2025-08-10', amount: { value: 50000, currency: 'EUR' }, reference: 'VIR-2025-0810' }],
    timeline: [
      { at: '2025-06-05T07:00:00.000Z', text: 'Pré-relance envoyée à compta@boulangerie-martin.fr' },
      { at: '2025-07-20T07:00:00.000Z', text: 'Mise en demeure envoyée' },
    ],
    routing: {
      title: 'Injonction de payer devant le tribunal de commerce de Montpellier',
      lines: ['Créance certaine, liquide et exigible.', 'Montant inférieur à 5 000 € : procédure simplifiée possible.'],
    },
    files: [
      { path: 'manifest.json', sha256: SHA('a') },
      { path: 'letters/mise-en-demeure-F-2027-0042-2025-07-20.pdf', sha256: SHA('b') },
    ],
    ...overrides,
  };
}

async function read(overrides: Partial<EvidenceSummaryInput> = {}) {
  return pdfText(await renderEvidenceSummary(input(overrides)));
}

describe('the evidence file’s summary', () => {
  it('names the file, the parties and the invoice', async () => {
    const { flat, info } = await read();
    for (const text of [
      'Dossier de recouvrement — facture F-2027-0042',
      'Établi le 20 août 2025 à 11:30 (Europe/Paris).',
      'Créancier Example SAS, SAS au capital de 10 000 €, siège social : 1 rue de l’Exemple, 75001 Paris, SIREN 000 000 000 RCS Paris',
      'Débiteur Boulangerie Martin SARL SIRET 732 829 320 00074 4 place du Môle 34200 Sète',
      'Qualité du débiteur entreprise',
      'Claire Martin, Comptabilité fournisseurs, compta@boulangerie-martin.fr, +33 4 78 12 34 56',
      'Bon de commande BC-2027-118',
      'Date d’émission 16 mai 2025',
      'Date d’échéance 15 juin 2025',
      'Montant de la facture 1 234,56 €',
      'Statut transmise au contentieux',
      'Transmise au contentieux le 1er août 2025 à 10:00',
    ]) {
      expect(flat).toContain(text);
    }
    expect(info).toMatchObject({ Title: 'Dossier de recouvrement — facture F-2027-0042', Author: 'Example SAS', Language: 'fr-FR' });
  });

  it('states the claim at the hand-off and today, period by period, from the legal engine', async () => {
    const { flat } = await read();
    expect(flat).toContain('Créance à la transmission, au 1er août 2025 Du Au Jours Base Taux annuel Montant');
    // 1,234.56 × 13.15 % × 15 / 365 = 6.67; × 12.15 % × 32 / 365 = 13.15
    expect(flat).toContain('16 juin 2025 30 juin 2025 15 1 234,56 € 13,15 % 6,67 €');
    expect(flat).toContain('1er juillet 2025 1er août 2025 32 1 234,56 € 12,15 % 13,15 €');
    expect(flat).toContain('Total dû au 1er août 2025 1 294,38 €');
    expect(flat).toContain('Créance à ce jour, au 20 août 2025');
    // The payment of 10 August lowers the base from the 11th: 734.56 × 12.15 % × 10 / 365 = 2.45
    expect(flat).toContain('1er juillet 2025 10 août 2025 41 1 234,56 € 12,15 % 16,85 €');
    expect(flat).toContain('11 août 2025 20 août 2025 10 734,56 € 12,15 % 2,45 €');
    expect(flat).toContain('Principal restant dû 734,56 €');
    expect(flat).toContain('Indemnité forfaitaire pour frais de recouvrement 40,00 €');
    expect(flat).toContain('Total dû au 20 août 2025 800,53 €');
  });

  it('lists the payments received, or says there were none', async () => {
    expect((await read()).flat).toContain('Paiements reçus Date Montant Référence 10 août 2025 500,00 € VIR-2025-0810');
    expect((await read({ payments: [] })).flat).toContain('Paiements reçus Aucun paiement reçu.');
  });

  it('says what can be proven of the formal notice: a letter is posted only once recorded so, with its receipt', async () => {
    const none = (await read()).flat;
    expect(none).toContain('Mise en demeure par e-mail aucun envoi confirmé');
    expect(none).toContain('Lettre recommandée avec AR aucune demandée');
    const requested = { requestedAt: '2025-07-20T07:00:00.000Z', key: 'k', filename: 'lettre.pdf', by: 'team' as const };
    const unposted = (await read({ invoice: { ...invoice, formalNoticeAt: '2025-07-20T07:00:00.000Z', registeredLetter: requested } })).flat;
    expect(unposted).toContain('demandée le 20 juillet 2025');
    expect(unposted).toContain('aucun dépôt enregistré');
    expect(unposted).not.toContain('déposée le');
    const received = (await read({ invoice: { ...invoice, registeredLetter: { ...requested, postedAt: '2025-07-21', trackingNumber: '1A 234 567 8901 2', receivedAt: '2025-07-23' } } })).flat;
    expect(received).toContain('déposée le 21 juillet 2025, n° 1A 234 567 8901 2');
    expect(received).toContain('Accusé de réception 23 juillet 2025');
  });

  it('carries the routing recommendation', async () => {
    expect((await read()).flat).toContain(
      'Orientation recommandée Injonction de payer devant le tribunal de commerce de Montpellier • Créance certaine, liquide et exigible. • Montant inférieur à 5 000 € : procédure simplifiée possible.',
    );
  });

  it('lists every file of the bundle with its SHA-256', async () => {
    const { flat } = await read();
    expect(flat).toContain(`Pièces du dossier Fichier SHA-256 manifest.json ${SHA('a')}`);
    expect(flat).toContain(SHA('b'));
    expect(flat).toContain('letters/mise-en-demeure-F-2027-0042-2025-07-20.pdf');
  });

  it('runs a long timeline over numbered A4 pages, in order, with its header on each', async () => {
    const timeline = Array.from({ length: 120 }, (_, i) => ({
      at: new Date(Date.UTC(2025, 5, 16, 7) + i * 3_600_000).toISOString(),
      text: `Événement n° ${i + 1} : relance envoyée`,
    }));
    const { pages } = await read({ timeline });
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect([page.width, page.height]).toEqual([A4.width, A4.height]);
      expect(page.flat).toContain(`Page ${i + 1}/${pages.length}`);
    });
    const continued = pages.slice(1).filter((page) => page.lines[0].startsWith('Date'));
    expect(continued.length).toBeGreaterThanOrEqual(1);
    const all = pages.map((page) => page.flat).join(' ');
    const positions = [1, 60, 120].map((n) => all.indexOf(`Événement n° ${n} :`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('reads in English', async () => {
    const { flat } = await read({ language: 'en' });
    for (const text of [
      'Collection file — invoice F-2027-0042',
      'Generated on 20 August 2025, 11:30 (Europe/Paris).',
      'Debtor Boulangerie Martin SARL SIRET 732 829 320 00074',
      'Kind of debtor business',
      'Claim at the hand-off, as at 1 August 2025 From To Days Base Annual rate Amount',
      'Total due as at 20 August 2025 €800.53',
      'Payments received Date Amount Reference 10 August 2025 €500.00 VIR-2025-0810',
      'Files in the bundle File SHA-256',
      'Page 1 of',
    ]) {
      expect(flat).toContain(text);
    }
  });

  it('is the same PDF, byte for byte, for the same file', async () => {
    const [first, second] = await Promise.all([renderEvidenceSummary(input()), renderEvidenceSummary(input())]);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });
});
