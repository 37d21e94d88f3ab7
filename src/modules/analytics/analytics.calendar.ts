/**
 * Local calendar days in a workspace's time zone, from UTC instants.
 *
 * Every time zone in use today is offset from UTC by a multiple of 15 minutes and changes offset
 * on a 15-minute boundary, so every instant of a 15-minute UTC bucket falls on the same local
 * day. SQL therefore only groups by `floor(epoch / 900)`, the same on both dialects, and the
 * buckets are folded into local days here with Intl.
 */
export const BUCKET_MS = 15 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DayRange {
  /** Local dates, oldest first, the last being today. */
  dates: string[];
  /** The first instant of the first day (inclusive), ISO-8601 UTC. */
  from: string;
  /** The first instant after the last day (exclusive), ISO-8601 UTC. */
  to: string;
}

/** `YYYY-MM-DD` of instants in one time zone; memoised per 15-minute bucket. */
export function createLocalCalendar(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const byBucket = new Map<number, string>();

  function dateAt(ms: number): string {
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(new Date(ms))) parts[p.type] = p.value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  /** The local date of the 15-minute UTC bucket number `bucket` (epoch seconds / 900). */
  function dateOfBucket(bucket: number): string {
    let date = byBucket.get(bucket);
    if (date === undefined) {
      date = dateAt(bucket * BUCKET_MS);
      byBucket.set(bucket, date);
    }
    return date;
  }

  /** The local date of an ISO-8601 instant. */
  function dateOf(iso: string): string {
    return dateOfBucket(Math.floor(Date.parse(iso) / BUCKET_MS));
  }

  /**
   * The first instant whose local date is `date` or later. Found by bisection rather than from an
   * offset, so a day that starts at 01:00 (DST at midnight) or a skipped day is still exact.
   */
  function startOf(date: string): number {
    const midnightUtc = Date.parse(`${date}T00:00:00Z`);
    // Offsets lie between -12h and +14h: local midnight is within a day of UTC midnight.
    let lo = midnightUtc - DAY_MS; // local date is before `date`
    let hi = midnightUtc + DAY_MS; // local date is `date` or later
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (dateAt(mid) >= date) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The `days` local days ending with the one containing `now`. */
  function lastDays(days: number, now: Date): DayRange {
    const today = dateAt(now.getTime());
    const dates: string[] = [];
    for (let i = days - 1; i >= 0; i--) dates.push(addDays(today, -i));
    return {
      dates,
      from: new Date(startOf(dates[0])).toISOString(),
      to: new Date(startOf(addDays(today, 1))).toISOString(),
    };
  }

  return { dateOf, dateOfBucket, startOf, lastDays };
}

export type LocalCalendar = ReturnType<typeof createLocalCalendar>;

/** Calendar arithmetic on `YYYY-MM-DD`, independent of any zone. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether Intl knows the zone (a stored zone was validated, but fall back rather than fail). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
