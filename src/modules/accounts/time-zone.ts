import { unprocessable } from '../../shared/errors/errors.js';

/** IANA names are letters, digits and `_ + - /`; this also refuses the UTC offsets newer ICU accepts. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/**
 * The zone to store for a caller's input, or 422. Only the letter case is taken from ICU
 * (`europe/paris` → `Europe/Paris`): ICU also maps links to other names (Asia/Kolkata →
 * Asia/Calcutta, EST5EDT → America/New_York), and a caller should get back the zone it chose.
 */
export function normalizeTimeZone(input: string): string {
  const invalid = () =>
    unprocessable(`Unknown time zone: ${input}`, { timezone: ['must be an IANA time zone such as Europe/Paris'] });
  if (!ZONE_NAME.test(input)) throw invalid();
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat(undefined, { timeZone: input }).resolvedOptions().timeZone;
  } catch {
    throw invalid();
  }
  if (resolved.toLowerCase() === input.toLowerCase()) return resolved;
  // A link ICU renames (asia/kolkata → Asia/Calcutta): the caller's own name, in the database's case.
  return /[A-Z]/.test(input) ? input : titleCase(input);
}

/** Lower-case words inside IANA names (Port_of_Spain, Dar_es_Salaam, Port-au-Prince). */
const SMALL_WORDS = new Set(['of', 'es', 'au', 'de', 'du', 'la', 'le', 'al']);

/** `america/port_of_spain` → `America/Port_of_Spain`, as the time zone database writes its names. */
function titleCase(name: string): string {
  return name.replace(/[A-Za-z0-9]+/g, (word, offset: number) =>
    offset > 0 && SMALL_WORDS.has(word) && /[_-]/.test(name[offset - 1]) ? word : word[0].toUpperCase() + word.slice(1),
  );
}
