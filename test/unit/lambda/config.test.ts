import { describe, expect, it } from 'vitest';
import { EXAMPLE_CREDITOR, loadConfig } from '../../../shared/lambda/config';

describe('loadConfig', () => {
  it('reads the creditor from CREDITOR, every legal mention checked', () => {
    const creditor = { ...EXAMPLE_CREDITOR, name: 'Atelier Dupont SAS', siren: '732829320' };
    expect(loadConfig({ CREDITOR: JSON.stringify(creditor) }).creditor).toEqual(creditor);
  });

  it('stops with the field at fault when a legal mention is missing or wrong', () => {
    const { legalForm: _legalForm, ...withoutForm } = EXAMPLE_CREDITOR;
    expect(() => loadConfig({ CREDITOR: JSON.stringify(withoutForm) })).toThrow(/legalForm/);
    expect(() => loadConfig({ CREDITOR: JSON.stringify({ ...EXAMPLE_CREDITOR, siren: '123456789' }) })).toThrow(/siren \(not a valid SIREN\)/);
    expect(() => loadConfig({ CREDITOR: JSON.stringify({ ...EXAMPLE_CREDITOR, team: { name: 'Recouvrement' } }) })).toThrow(/team\.phone/);
  });

  it('writes to the team in French unless told English', () => {
    expect(loadConfig({}).teamLanguage).toBe('fr');
    expect(loadConfig({ TEAM_LANGUAGE: 'en' }).teamLanguage).toBe('en');
  });
});
