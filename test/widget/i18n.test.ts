import { describe, expect, it } from 'vitest';
import { CATALOGUES, resolveLocale, translator } from '../../widget/src/i18n/index.ts';
import { en } from '../../widget/src/i18n/en.ts';

describe('the widget message catalogue', () => {
  it('speaks English, German, French and Spanish, each with every English key', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(['de', 'en', 'es', 'fr']);
    for (const [locale, messages] of Object.entries(CATALOGUES)) {
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(messages)) {
        expect(value.trim(), `${locale}.${key}`).not.toBe('');
        // A translation keeps the English placeholders.
        const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(placeholders(value), `${locale}.${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('chooses the first language it speaks, by full tag then by language, else English', () => {
    expect(resolveLocale(['de'])).toBe('de');
    expect(resolveLocale(['de-AT'])).toBe('de');
    expect(resolveLocale(['fr_CA'])).toBe('fr');
    expect(resolveLocale([null, 'auto', 'es-419'])).toBe('es');
    expect(resolveLocale(['ja', 'pt-BR'])).toBe('en');
    expect(resolveLocale(['it', 'fr'])).toBe('fr');
    expect(resolveLocale([])).toBe('en');
  });

  it('fills placeholders and falls back to English for a key a catalogue lacks', () => {
    const t = translator('de');
    expect(t('typing', { name: 'Sam' })).toBe('Sam schreibt…');
    expect(t('message')).toBe('Nachricht');
    expect(translator('en')('openChat')).toBe('Open chat');
    CATALOGUES.xx = { ...en, seen: undefined } as unknown as typeof en;
    try {
      expect(translator('xx')('seen')).toBe('Seen');
    } finally {
      delete CATALOGUES.xx;
    }
    expect(translator('zz')('send')).toBe('Send');
    expect(translator('en')('typing')).toBe('{name} is typing…');
  });
});
