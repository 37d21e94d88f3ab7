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
  return resolved.toLowerCase() === input.toLowerCase() ? resolved : input;
}
