import type { Translate } from '../i18n/index.ts';

/** Up to two initials of a name, for an avatar. */
export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '';
  const letters = words.length === 1 ? [...words[0]].slice(0, 1) : [[...words[0]][0], [...words[words.length - 1]][0]];
  return letters.join('').toUpperCase();
}

/** An operator is shown by first name only. */
export const firstName = (name: string | null | undefined): string => (name ?? '').trim().split(/\s+/)[0] ?? '';

/** The time of a message, in the visitor's language and time zone. */
export function timeOf(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
}

/** A short date for the list of conversations: the time today, else the day. */
export function dayOf(iso: string, locale: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (date.toDateString() === now.toDateString()) return timeOf(iso, locale);
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(date);
}

/**
 * When the team is back, in the visitor's language and time: "today at 9:00 AM", "tomorrow at
 * 9:00 AM", "on Monday at 9:00 AM", or a date when it is more than a week away (languages put a
 * weekday or a date after a preposition where today and tomorrow take none: "am Montag").
 */
export function whenBack(iso: string, locale: string, t: Translate, now = new Date()): string {
  const date = new Date(iso);
  // "9:00 AM" stays on one line.
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date).replace(/ /g, '\u00a0');
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(date) - startOf(now)) / 86_400_000);
  let day: string;
  if (days <= 1) day = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.max(days, 0), 'day');
  else if (days < 7) day = new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(date);
  else day = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric' }).format(date);
  return t(days <= 1 ? 'dayAtTime' : 'onDayAtTime', { day, time });
}

/** Black or white, whichever reads better on the accent colour. */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#fff';
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.45 ? '#111827' : '#fff';
}
