import { de } from './de.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';

export type { MessageKey, Messages };

/** Every language the widget speaks; another one is one more file and one more line here. */
export const CATALOGUES: Record<string, Messages> = { en, de, fr, es };

export const DEFAULT_LOCALE = 'en';

/**
 * The first of `candidates` the widget speaks, tried as given ("de-AT") and then by its language
 * alone ("de"); English when none is known. Blank and "auto" candidates are skipped.
 */
export function resolveLocale(candidates: ReadonlyArray<string | null | undefined>): string {
  for (const candidate of candidates) {
    if (!candidate || candidate === 'auto') continue;
    const tag = candidate.trim().toLowerCase().replace('_', '-');
    if (CATALOGUES[tag]) return tag;
    const language = tag.split('-')[0];
    if (CATALOGUES[language]) return language;
  }
  return DEFAULT_LOCALE;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The text for `key` in `locale`, its `{placeholders}` filled from `params`; a key a catalogue
 * lacks falls back to English, and an unknown key is shown as itself rather than as nothing.
 */
export function translator(locale: string): Translate {
  const catalogue: Partial<Messages> = CATALOGUES[locale] ?? en;
  return (key, params) => {
    const text = catalogue[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
  };
}
