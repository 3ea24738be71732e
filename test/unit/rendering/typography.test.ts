import { describe, expect, it } from 'vitest';
import { frenchTypography } from '../../../shared/rendering/typography';

describe('frenchTypography', () => {
  it('puts a narrow no-break space before the high punctuation, replacing an ordinary space', () => {
    expect(frenchTypography('Objet : relance ; merci ! Payé ?')).toBe('Objet\u202f: relance\u202f; merci\u202f! Payé\u202f?');
    expect(frenchTypography('Réglé\u00a0?')).toBe('Réglé\u202f?');
  });

  it('adds the space where it was missing, at the end of the text too', () => {
    expect(frenchTypography('Nos coordonnées bancaires:')).toBe('Nos coordonnées bancaires\u202f:');
  });

  it('leaves URLs, times and ratios alone', () => {
    expect(frenchTypography('https://pay.example.com/r/abc à 09:00, 3:1')).toBe('https://pay.example.com/r/abc à 09:00, 3:1');
  });

  it('spaces guillemets and percentages, and curls apostrophes between letters only', () => {
    expect(frenchTypography('« facture »')).toBe('«\u202ffacture\u202f»');
    expect(frenchTypography('12,15 % l\'an, 8%')).toBe('12,15\u202f% l’an, 8\u202f%');
    expect(frenchTypography("l'échéance d'aujourd'hui, 'code'")).toBe("l’échéance d’aujourd’hui, 'code'");
  });
});
