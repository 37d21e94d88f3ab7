import { unprocessable } from '../../shared/errors/errors.js';
import { summaryMessage } from '../../shared/http/validation-messages.js';
import type { AccountRow } from './accounts.repository.js';
import { normalizeTimeZone } from './time-zone.js';

/** The days of a week as business hours name them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How soon the team typically answers, as the widget tells a visitor. */
export const REPLY_TIMES = ['minutes', 'hours', 'day'] as const;
export type ReplyTime = (typeof REPLY_TIMES)[number];

/** At most this many opening ranges in one day (a split shift, lunch breaks). */
export const MAX_RANGES_PER_DAY = 4;

/** One opening range of a day in the business's wall-clock time, `["09:00", "17:00"]`; the end may be "24:00". */
export type TimeRange = [string, string];

/** Business hours as stored and answered: every day present, ranges sorted, the zone resolved. */
export interface BusinessHours {
  /** false: the team counts as always open (the hours are kept for when they are switched on). */
  enabled: boolean;
  /** The IANA zone the ranges are in. */
  timezone: string;
  days: Record<Weekday, TimeRange[]>;
}

export interface Availability {
  online: boolean;
  /** When the team is next online (ISO-8601 UTC); null while online, or when no range is ever open. */
  next_online_at: string | null;
}

export interface TeamAvailability extends Availability {
  reply_time: ReplyTime;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM" (00:00–24:00), or null when it is not such a time. */
function minutesOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = TIME.exec(value);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a caller's business hours and answers them in their stored form, or throws 422 whose
 * `details` name every faulty field (`business_hours.days.mon.1`, …). Times are "HH:MM" from
 * 00:00 to 24:00, each range starts before it ends, a day has at most four ranges and they do not
 * overlap (one may start where another ends); `days` is required, a day left out of it has none,
 * and a day key other than mon…sun is refused. Without `timezone` the ranges are in `defaultTimezone`, the workspace's, and
 * that zone is stored with them, so a later change of the workspace's zone does not move them.
 */
export function normalizeBusinessHours(input: unknown, defaultTimezone: string, field = 'business_hours'): BusinessHours {
  const problems: Record<string, string[]> = {};
  const problem = (path: string, message: string) => (problems[`${field}${path}`] ??= []).push(message);

  if (!isPlainObject(input)) {
    const problem = 'must give enabled, timezone and days';
    throw unprocessable(`${field} ${problem}`, { [field]: [problem] });
  }
  for (const key of Object.keys(input)) {
    if (key !== 'enabled' && key !== 'timezone' && key !== 'days') problem(`.${key}`, 'is not part of business hours: use enabled, timezone and days');
  }
  if (typeof input.enabled !== 'boolean') problem('.enabled', 'must be true or false');

  let timezone = defaultTimezone;
  if (input.timezone !== undefined && input.timezone !== null) {
    if (typeof input.timezone !== 'string') {
      problem('.timezone', 'must be an IANA time zone such as Europe/Paris');
    } else {
      try {
        timezone = normalizeTimeZone(input.timezone);
      } catch {
        problem('.timezone', 'must be an IANA time zone such as Europe/Paris');
      }
    }
  }

  const days = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as TimeRange[]])) as Record<Weekday, TimeRange[]>;
  if (!isPlainObject(input.days)) {
    problem('.days', 'must be an object of days (mon … sun), each a list of ["HH:MM", "HH:MM"] ranges');
  } else {
    for (const [day, ranges] of Object.entries(input.days)) {
      const at = `.days.${day}`;
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        problem(at, 'is not a day: use mon, tue, wed, thu, fri, sat or sun');
        continue;
      }
      if (!Array.isArray(ranges)) {
        problem(at, 'must be a list of ["HH:MM", "HH:MM"] ranges');
        continue;
      }
      if (ranges.length > MAX_RANGES_PER_DAY) {
        problem(at, `must have at most ${MAX_RANGES_PER_DAY} ranges`);
        continue;
      }
      const parsed: Array<{ start: number; end: number; range: TimeRange; index: number }> = [];
      ranges.forEach((range: unknown, index) => {
        const here = `${at}.${index}`;
        if (!Array.isArray(range) || range.length !== 2) {
          problem(here, 'must be a pair of times ["HH:MM", "HH:MM"]');
          return;
        }
        const start = minutesOf(range[0]);
        const end = minutesOf(range[1]);
        if (start === null || end === null) {
          problem(here, 'must be times from 00:00 to 24:00, written HH:MM');
          return;
        }
        if (start >= end) {
          problem(here, 'must start before it ends');
          return;
        }
        parsed.push({ start, end, range: [range[0] as string, range[1] as string], index });
      });
      parsed.sort((a, b) => a.start - b.start || a.end - b.end);
      for (let i = 1; i < parsed.length; i++) {
        if (parsed[i]!.start < parsed[i - 1]!.end) {
          problem(`${at}.${parsed[i]!.index}`, `overlaps ${parsed[i - 1]!.range[0]}–${parsed[i - 1]!.range[1]}`);
        }
      }
      days[day as Weekday] = parsed.map((p) => p.range);
    }
  }

  if (Object.keys(problems).length > 0) throw unprocessable(summaryMessage(problems), problems);
  return { enabled: input.enabled as boolean, timezone, days };
}

/**
 * Stored business hours (the column's JSON) as an object; null when not configured. A stored value
 * that is not valid JSON (written by hand) counts as not configured rather than failing every read.
 */
export function parseBusinessHours(stored: string | null): BusinessHours | null {
  if (stored === null) return null;
  try {
    const value = JSON.parse(stored) as BusinessHours;
    return isPlainObject(value) && isPlainObject(value.days) ? value : null;
  } catch {
    return null;
  }
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time in `timeZone` at `instant`, as if it were UTC (ms since the epoch). */
function wallClock(instant: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(instant)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
}

/** The zone's offset from UTC at `instant`, in ms (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

/**
 * The instant at which the clocks of `timeZone` show `wall` (a wall-clock time written as if it
 * were UTC). Like Temporal's `compatible` disambiguation: a time that occurs twice when the clocks
 * go back is its first occurrence, and a time skipped when they go forward is moved on by the gap
 * (02:30 on the night Berlin springs forward is 03:30 summer time). Assumes at most one change of
 * offset within a day either side, which holds for every zone in the IANA database.
 */
export function wallTimeToUtc(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => wallClock(t, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped: read with the offset in force before the change, which lands after it.
  return wall - before;
}

/**
 * Whether the team is open at `now` under these business hours, and if not when it next opens
 * (within 8 days). No hours configured, or hours switched off, count as always open. Ranges are
 * turned into real instants day by day in the hours' zone, so a range keeps its wall-clock times
 * across a daylight-saving change: 09:00 Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
 * Times the clocks skip or show twice are read as wallTimeToUtc says.
 */
export function availabilityOf(settings: BusinessHours | null, now: Date): Availability {
  if (!settings || !settings.enabled) return { online: true, next_online_at: null };
  const at = now.getTime();
  const zone = settings.timezone;
  const today = Math.floor(wallClock(at, zone) / DAY_MS) * DAY_MS;
  let next: number | null = null;
  // From yesterday: where the clocks go back at midnight, the last hour of a day is shown twice.
  for (let offset = -1; offset <= 8; offset++) {
    const midnight = today + offset * DAY_MS;
    const day = WEEKDAYS[(new Date(midnight).getUTCDay() + 6) % 7]!;
    for (const [from, to] of settings.days[day] ?? []) {
      const start = minutesOf(from);
      const end = minutesOf(to);
      if (start === null || end === null) continue;
      const opens = wallTimeToUtc(midnight + start * 60_000, zone);
      const closes = wallTimeToUtc(midnight + end * 60_000, zone);
      if (opens >= closes) continue;
      if (opens <= at && at < closes) return { online: true, next_online_at: null };
      if (opens > at && (next === null || opens < next)) next = opens;
    }
  }
  return { online: false, next_online_at: next === null ? null : new Date(next).toISOString() };
}

/**
 * What a workspace tells its visitors and operators about its team right now: online or not,
 * when it is back, and how soon it typically answers.
 */
export function teamAvailability(
  account: Pick<AccountRow, 'business_hours' | 'reply_time'>,
  now: Date = new Date(),
): TeamAvailability {
  return { ...availabilityOf(parseBusinessHours(account.business_hours), now), reply_time: account.reply_time };
}
