/** How long a notification's preview of a message or note may be. */
export const PREVIEW_LENGTH = 140;

/** The first ~140 characters of a text, on one line, with an ellipsis when cut. */
export function previewOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  return line.length <= PREVIEW_LENGTH ? line : `${line.slice(0, PREVIEW_LENGTH - 1).trimEnd()}…`;
}

/** Case- and accent-insensitive form: "@chloe" mentions Chloé. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What `@` may be followed by to mention a member: their first name, or their full name without spaces. */
export function handlesOf(name: string): string[] {
  const words = fold(name).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return [...new Set([words[0], words.join('')])];
}

/**
 * The members a note mentions: `@` + a member's first name or full name without spaces, as a whole
 * word (`@maya` and `@MayaChen` mention Maya Chen; `@mayab` and `maya@example.com` do not). Two
 * members sharing a first name are both mentioned by it; the full name tells them apart.
 */
export function mentionedIn<M extends { id: string; name: string }>(text: string, members: M[]): M[] {
  if (!text.includes('@')) return [];
  const folded = fold(text);
  return members.filter((m) =>
    handlesOf(m.name).some((handle) =>
      // Not after a letter or digit (an email address); not followed by more of a word.
      new RegExp(`(?<![\\p{L}\\p{N}_@])@${escape(handle)}(?![\\p{L}\\p{N}_]|[-'’][\\p{L}\\p{N}])`, 'u').test(folded),
    ),
  );
}
