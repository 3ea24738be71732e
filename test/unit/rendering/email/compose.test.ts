import { describe, expect, it } from 'vitest';
import { button, composeEmail, factsTable, layout, plainSubject } from '../../../../shared/rendering/email/compose';
import { escapeHtml, html } from '../../../../shared/rendering/html';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or an attribute', () => {
    expect(escapeHtml(`<a href="x">O'Brien & Co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/a&gt;');
  });

  it('renders null and undefined as nothing and numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('html tagged template', () => {
  it('escapes every interpolated string', () => {
    const name = '<script>alert(1)</script>';
    expect(String(html`<p>${name}</p>`)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('keeps markup made by html itself, and joins arrays of it', () => {
    const items = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(String(html`<ul>${items}</ul>`)).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });

  it('does not trust an object that merely looks like safe HTML', () => {
    const forged = { value: '<img src=x onerror=alert(1)>', toString: () => '<img src=x onerror=alert(1)>' };
    const out = String(html`<p>${forged as unknown as string}</p>`);
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img');
  });

  it('renders false, null and undefined as nothing so conditionals read naturally', () => {
    const show = false;
    expect(String(html`<p>${show && html`<b>x</b>`}${null}${undefined}</p>`)).toBe('<p></p>');
  });
});

describe('button', () => {
  it('is a table-cell link with inline styles, the URL and label escaped', () => {
    const out = String(button('https://pay.example.com/r/abc?action=promise&x=1', 'Pay <now>'));
    expect(out).toContain('role="presentation"');
    expect(out).toContain('href="https://pay.example.com/r/abc?action=promise&amp;x=1"');
    expect(out).toContain('Pay &lt;now&gt;');
    expect(out).toMatch(/<td[^>]*bgcolor=/);
    expect(out).not.toContain('class=');
  });

  it('refuses script URLs', () => {
    expect(String(button('javascript:alert(1)', 'x'))).toContain('href="#"');
    expect(String(button(' JAVASCRIPT:alert(1)', 'x'))).not.toContain('alert');
  });

  it('distinguishes the primary and secondary variants', () => {
    expect(String(button('https://a.example', 'a', 'primary'))).not.toBe(String(button('https://a.example', 'a', 'secondary')));
  });
});

describe('factsTable', () => {
  it('renders label/value rows, escaped', () => {
    const out = String(factsTable([['Customer', "O'Brien & Co"], ['IBAN', 'FR76 3000']]));
    expect(out).toContain('O&#39;Brien &amp; Co');
    expect(out).toContain('FR76 3000');
    expect(out.match(/<tr>/g)).toHaveLength(2);
  });

  it('accepts SafeHtml values (a link) without escaping them', () => {
    const out = String(factsTable([['PDF', html`<a href="https://x.example/f.pdf">PDF</a>`]]));
    expect(out).toContain('<a href="https://x.example/f.pdf">PDF</a>');
  });

  it('renders nothing for no rows', () => {
    expect(String(factsTable([]))).toBe('');
  });
});

describe('layout', () => {
  const doc = layout({
    lang: 'fr',
    title: 'Facture <F-1> & co',
    preheader: 'Un point rapide avant l’échéance',
    body: html`<p>Bonjour</p>`,
    footer: 'Example SAS',
  });

  it('is a complete document in the given language', () => {
    expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(doc).toContain('<html lang="fr"');
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<title>Facture &lt;F-1&gt; &amp; co</title>');
    expect(doc).toContain('<p>Bonjour</p>');
    expect(doc).toContain('Example SAS');
    expect(doc.trim().endsWith('</html>')).toBe(true);
  });

  it('hides the preheader in the message itself', () => {
    expect(doc).toMatch(/<div style="display:none;[^"]*mso-hide:all">Un point rapide/);
  });

  it('uses presentation tables, a 600px column and inline styles only', () => {
    expect(doc).toContain('role="presentation"');
    expect(doc).toContain('max-width:600px');
    expect(doc).toContain('width="600"'); // Outlook ignores max-width
    expect(doc).not.toMatch(/<style|<link|class=/);
    expect(doc).not.toContain('&#39;Segoe UI'); // font names stay quoted, not entity-encoded
  });
});

describe('composeEmail', () => {
  it('gives the same content to the HTML and the text part', () => {
    const email = composeEmail({
      lang: 'en',
      subject: 'Hello',
      preheader: 'Pre',
      blocks: [
        { type: 'paragraph', text: 'First line\nsecond line' },
        { type: 'facts', rows: [['IBAN', 'FR76']] },
        { type: 'buttons', buttons: [{ label: 'Go', url: 'https://x.example/?a=1&b=2' }] },
        { type: 'quote', label: 'Message:', text: 'a\nb' },
      ],
      footer: 'Footer',
    });
    expect(email.text).toContain('First line\nsecond line');
    expect(email.text).toContain('IBAN: FR76');
    expect(email.text).toContain('Go: https://x.example/?a=1&b=2');
    expect(email.text).toContain('> a\n> b');
    expect(email.text).toContain('Footer');
    expect(email.html).toContain('First line<br>second line');
    expect(email.html).toContain('href="https://x.example/?a=1&amp;b=2"');
  });

  it('puts a narrow no-break space before colons in French plain text', () => {
    const email = composeEmail({ lang: 'fr', subject: 's', preheader: 'p', blocks: [{ type: 'facts', rows: [['IBAN', 'FR76']] }] });
    expect(email.text).toContain('IBAN\u202f: FR76');
  });

  it('keeps the subject on one header line', () => {
    expect(plainSubject('Invoice\r\nBcc: victim@example.com')).toBe('Invoice Bcc: victim@example.com');
    expect(plainSubject("O'Brien & Co <x>")).toBe("O'Brien & Co <x>");
  });
});
