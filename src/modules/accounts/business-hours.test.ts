import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/errors.js';
import {
  availabilityOf,
  normalizeBusinessHours,
  parseBusinessHours,
  teamAvailability,
  wallTimeToUtc,
  type BusinessHours,
  type TimeRange,
  type Weekday,
} from './business-hours.js';

const NINE_TO_FIVE: TimeRange[] = [['09:00', '17:00']];

/** Business hours in `timezone` with the given days open, every other day closed. */
function hours(timezone: string, days: Partial<Record<Weekday, TimeRange[]>>, enabled = true): BusinessHours {
  return {
    enabled,
    timezone,
    days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days },
  };
}

const weekdays = (timezone: string) =>
  hours(timezone, { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE });

const at = (iso: string) => new Date(iso);

/** The error a call throws, for its code and details. */
function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('normalizeBusinessHours', () => {
  it('fills in every day, sorts the ranges and takes the workspace time zone by default', () => {
    const result = normalizeBusinessHours(
      { enabled: true, days: { tue: [['13:30', '17:00'], ['09:00', '12:30']], mon: NINE_TO_FIVE } },
      'Europe/Paris',
    );
    expect(result).toEqual({
      enabled: true,
      timezone: 'Europe/Paris',
      days: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '12:30'], ['13:30', '17:00']],
        wed: [],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
    });
    // Always in the same key order, so a stored value can be compared as text.
    expect(Object.keys(result.days)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  });

  it("keeps its own time zone, with ICU's letter case, instead of the workspace's", () => {
    const result = normalizeBusinessHours({ enabled: false, timezone: 'america/new_york', days: {} }, 'UTC');
    expect(result).toMatchObject({ enabled: false, timezone: 'America/New_York' });
    expect(normalizeBusinessHours({ enabled: true, timezone: null, days: {} }, 'Asia/Kolkata').timezone).toBe('Asia/Kolkata');
  });

  it('accepts a whole day, ranges that touch, and four ranges in a day', () => {
    const result = normalizeBusinessHours(
      {
        enabled: true,
        days: {
          sat: [['00:00', '24:00']],
          sun: [['00:00', '06:00'], ['06:00', '12:00'], ['12:00', '18:00'], ['18:00', '24:00']],
        },
      },
      'UTC',
    );
    expect(result.days.sat).toEqual([['00:00', '24:00']]);
    expect(result.days.sun).toHaveLength(4);
  });

  it.each<[string, unknown, string]>([
    ['a time without two digits', { mon: [['9:00', '17:00']] }, 'business_hours.days.mon.0'],
    ['an hour past 24', { mon: [['09:00', '25:00']] }, 'business_hours.days.mon.0'],
    ['a minute past 24:00', { mon: [['09:00', '24:01']] }, 'business_hours.days.mon.0'],
    ['sixty minutes', { tue: [['09:60', '17:00']] }, 'business_hours.days.tue.0'],
    ['a number for a time', { wed: [[900, 1700]] }, 'business_hours.days.wed.0'],
    ['a range that ends when it starts', { thu: [['09:00', '09:00']] }, 'business_hours.days.thu.0'],
    ['a range that ends before it starts', { fri: [['17:00', '09:00']] }, 'business_hours.days.fri.0'],
    ['a range that starts at 24:00', { fri: [['24:00', '24:00']] }, 'business_hours.days.fri.0'],
    ['a range of three times', { sat: [['09:00', '12:00', '17:00']] }, 'business_hours.days.sat.0'],
    ['a range that is not a list', { sat: ['09:00-17:00'] }, 'business_hours.days.sat.0'],
    ['a day that is not a list', { sun: { from: '09:00', to: '17:00' } }, 'business_hours.days.sun'],
    ['five ranges in a day', { mon: [['01:00', '02:00'], ['03:00', '04:00'], ['05:00', '06:00'], ['07:00', '08:00'], ['09:00', '10:00']] }, 'business_hours.days.mon'],
    ['overlapping ranges', { mon: [['09:00', '12:00'], ['11:00', '14:00']] }, 'business_hours.days.mon.1'],
    ['a range inside another', { tue: [['12:00', '13:00'], ['09:00', '17:00']] }, 'business_hours.days.tue.0'],
    ['a day that is not a weekday', { monday: NINE_TO_FIVE }, 'business_hours.days.monday'],
    ['a holiday date', { '2025-12-25': [] }, 'business_hours.days.2025-12-25'],
  ])('refuses %s with 422 naming the field', (_case, days, field) => {
    const e = refusal(() => normalizeBusinessHours({ enabled: true, days }, 'UTC'));
    expect(e.status).toBe(422);
    expect(e.code).toBe('UNPROCESSABLE_ENTITY');
    expect(Object.keys(e.details)).toEqual([field]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'always', 'business_hours'],
    ['a list', [], 'business_hours'],
    ['no enabled', { days: {} }, 'business_hours.enabled'],
    ['enabled as text', { enabled: 'yes', days: {} }, 'business_hours.enabled'],
    ['no days', { enabled: true }, 'business_hours.days'],
    ['days as a list', { enabled: true, days: [NINE_TO_FIVE] }, 'business_hours.days'],
    ['an unknown time zone', { enabled: true, timezone: 'Mars/Olympus_Mons', days: {} }, 'business_hours.timezone'],
    ['a UTC offset for a zone', { enabled: true, timezone: '+01:00', days: {} }, 'business_hours.timezone'],
    ['a number for a zone', { enabled: true, timezone: 1, days: {} }, 'business_hours.timezone'],
    ['an unknown field', { enabled: true, days: {}, holidays: [] }, 'business_hours.holidays'],
  ])('refuses %s with 422 naming the field', (_case, input, field) => {
    const e = refusal(() => normalizeBusinessHours(input, 'UTC'));
    expect(e.status).toBe(422);
    expect(Object.keys(e.details)).toEqual([field]);
  });

  it('names every faulty field at once', () => {
    const e = refusal(() =>
      normalizeBusinessHours(
        { enabled: 1, timezone: 'Nowhere/Land', days: { mon: [['18:00', '09:00']], xyz: [], fri: [['09:00', '12:00'], ['10:00', '11:00']] } },
        'UTC',
      ),
    );
    expect(Object.keys(e.details).sort()).toEqual(
      [
        'business_hours.enabled',
        'business_hours.timezone',
        'business_hours.days.mon.0',
        'business_hours.days.xyz',
        'business_hours.days.fri.1',
      ].sort(),
    );
    expect(e.message).toContain('business_hours.days.xyz');
  });
});

describe('availabilityOf', () => {
  it('counts no hours, and hours switched off, as always online', () => {
    expect(availabilityOf(null, at('2025-06-01T03:00:00Z'))).toEqual({ online: true, next_online_at: null });
    const off = { ...weekdays('Europe/Berlin'), enabled: false };
    expect(availabilityOf(off, at('2025-06-01T03:00:00Z'))).toEqual({ online: true, next_online_at: null });
  });

  it('is online from the first minute of a range until just before its end', () => {
    const berlin = weekdays('Europe/Berlin');
    // Wednesday 4 June 2025; Berlin is UTC+2 in summer.
    expect(availabilityOf(berlin, at('2025-06-04T06:59:59.999Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-04T07:00:00.000Z',
    });
    expect(availabilityOf(berlin, at('2025-06-04T07:00:00Z'))).toEqual({ online: true, next_online_at: null });
    expect(availabilityOf(berlin, at('2025-06-04T14:59:59Z')).online).toBe(true);
    expect(availabilityOf(berlin, at('2025-06-04T15:00:00Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-05T07:00:00.000Z',
    });
  });

  it('looks past the weekend and past closed days to the next range', () => {
    const berlin = weekdays('Europe/Berlin');
    // Friday 6 June 2025, 18:00 in Berlin → Monday 9 June, 09:00.
    expect(availabilityOf(berlin, at('2025-06-06T16:00:00Z')).next_online_at).toBe('2025-06-09T07:00:00.000Z');
    // Saturday and Sunday are closed all day.
    expect(availabilityOf(berlin, at('2025-06-07T10:00:00Z')).next_online_at).toBe('2025-06-09T07:00:00.000Z');
  });

  it('finds a range a whole week ahead when the only one today is over', () => {
    const mondays = hours('UTC', { mon: [['09:00', '10:00']] });
    expect(availabilityOf(mondays, at('2025-06-02T10:30:00Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-09T09:00:00.000Z',
    });
  });

  it('has no next time when no day has a range', () => {
    expect(availabilityOf(hours('UTC', {}), at('2025-06-02T10:30:00Z'))).toEqual({ online: false, next_online_at: null });
  });

  it('stays online across midnight when a range ends at 24:00 and the next day starts at 00:00', () => {
    const late = hours('America/New_York', { fri: [['20:00', '24:00']], sat: [['00:00', '02:00']] });
    // Friday 6 June 2025 23:59 and Saturday 00:30 in New York (UTC-4).
    expect(availabilityOf(late, at('2025-06-07T03:59:00Z')).online).toBe(true);
    expect(availabilityOf(late, at('2025-06-07T04:30:00Z')).online).toBe(true);
    expect(availabilityOf(late, at('2025-06-07T06:00:00Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-14T00:00:00.000Z',
    });
  });

  it('reads the ranges in their own time zone, whatever the server runs in', () => {
    const tokyo = weekdays('Asia/Tokyo');
    const kolkata = weekdays('Asia/Kolkata');
    // Monday 2 June 2025, 08:00 UTC: 17:00 in Tokyo (just closed), 13:30 in Kolkata.
    expect(availabilityOf(tokyo, at('2025-06-02T08:00:00Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-03T00:00:00.000Z',
    });
    expect(availabilityOf(kolkata, at('2025-06-02T08:00:00Z')).online).toBe(true);
    expect(availabilityOf(kolkata, at('2025-06-02T02:00:00Z')).next_online_at).toBe('2025-06-02T03:30:00.000Z');
  });

  describe('across daylight-saving changes', () => {
    it('Berlin, March: a Friday evening is answered with Monday 09:00 summer time', () => {
      // Clocks go forward on Sunday 30 March 2025 at 02:00 CET → 03:00 CEST.
      const berlin = weekdays('Europe/Berlin');
      expect(availabilityOf(berlin, at('2025-03-28T17:00:00Z')).next_online_at).toBe('2025-03-31T07:00:00.000Z');
      expect(availabilityOf(berlin, at('2025-03-31T06:59:00Z')).online).toBe(false);
      expect(availabilityOf(berlin, at('2025-03-31T07:00:00Z')).online).toBe(true);
      // The Friday before was still winter time.
      expect(availabilityOf(berlin, at('2025-03-28T07:59:00Z')).next_online_at).toBe('2025-03-28T08:00:00.000Z');
    });

    it('Berlin, October: a Friday evening is answered with Monday 09:00 winter time', () => {
      // Clocks go back on Sunday 26 October 2025 at 03:00 CEST → 02:00 CET.
      const berlin = weekdays('Europe/Berlin');
      expect(availabilityOf(berlin, at('2025-10-24T16:00:00Z')).next_online_at).toBe('2025-10-27T08:00:00.000Z');
      expect(availabilityOf(berlin, at('2025-10-27T07:30:00Z')).online).toBe(false);
      expect(availabilityOf(berlin, at('2025-10-27T08:00:00Z')).online).toBe(true);
      expect(availabilityOf(berlin, at('2025-10-27T15:59:00Z')).online).toBe(true);
      expect(availabilityOf(berlin, at('2025-10-27T16:00:00Z')).online).toBe(false);
    });

    it('Berlin: a range on the night of the change keeps its wall-clock times', () => {
      const nights = hours('Europe/Berlin', { sun: [['01:00', '04:00']] });
      // 30 March: 01:00 CET = 00:00Z to 04:00 CEST = 02:00Z, two real hours.
      expect(availabilityOf(nights, at('2025-03-29T23:59:00Z')).next_online_at).toBe('2025-03-30T00:00:00.000Z');
      expect(availabilityOf(nights, at('2025-03-30T01:59:00Z')).online).toBe(true);
      expect(availabilityOf(nights, at('2025-03-30T02:00:00Z')).online).toBe(false);
      // 26 October: 01:00 CEST = 23:00Z the day before to 04:00 CET = 03:00Z, four real hours.
      expect(availabilityOf(nights, at('2025-10-25T22:59:00Z')).next_online_at).toBe('2025-10-25T23:00:00.000Z');
      expect(availabilityOf(nights, at('2025-10-26T02:59:00Z')).online).toBe(true);
      expect(availabilityOf(nights, at('2025-10-26T03:00:00Z')).online).toBe(false);
    });

    it('Berlin: a range in the skipped hour is moved on by the gap, as Temporal does', () => {
      // 02:00–02:30 is not shown on 30 March 2025: read as 03:00–03:30 CEST, it keeps its half hour.
      const skipped = hours('Europe/Berlin', { sun: [['02:00', '02:30']] });
      expect(availabilityOf(skipped, at('2025-03-29T12:00:00Z'))).toEqual({
        online: false,
        next_online_at: '2025-03-30T01:00:00.000Z',
      });
      expect(availabilityOf(skipped, at('2025-03-30T01:29:00Z')).online).toBe(true);
      expect(availabilityOf(skipped, at('2025-03-30T01:30:00Z')).next_online_at).toBe('2025-04-06T00:00:00.000Z');
      // One that starts in the gap and ends after it opens when the clocks reach 03:00 CEST.
      const across = hours('Europe/Berlin', { sun: [['02:30', '05:00']] });
      expect(availabilityOf(across, at('2025-03-29T12:00:00Z')).next_online_at).toBe('2025-03-30T01:30:00.000Z');
      expect(availabilityOf(across, at('2025-03-30T02:59:00Z')).online).toBe(true);
      expect(availabilityOf(across, at('2025-03-30T03:00:00Z')).online).toBe(false);
    });

    it('New York, March: the week after the change opens at 09:00 EDT', () => {
      // Clocks go forward on Sunday 9 March 2025 at 02:00 EST → 03:00 EDT.
      const ny = weekdays('America/New_York');
      expect(availabilityOf(ny, at('2025-03-07T22:30:00Z')).next_online_at).toBe('2025-03-10T13:00:00.000Z');
      expect(availabilityOf(ny, at('2025-03-07T14:00:00Z')).online).toBe(true);
      expect(availabilityOf(ny, at('2025-03-10T13:00:00Z')).online).toBe(true);
      expect(availabilityOf(ny, at('2025-03-10T12:59:00Z')).online).toBe(false);
    });

    it('New York, November: the week after the change opens at 09:00 EST', () => {
      // Clocks go back on Sunday 2 November 2025 at 02:00 EDT → 01:00 EST.
      const ny = weekdays('America/New_York');
      expect(availabilityOf(ny, at('2025-10-31T21:30:00Z')).next_online_at).toBe('2025-11-03T14:00:00.000Z');
      expect(availabilityOf(ny, at('2025-11-03T13:30:00Z')).online).toBe(false);
      expect(availabilityOf(ny, at('2025-11-03T14:00:00Z')).online).toBe(true);
      expect(availabilityOf(ny, at('2025-11-03T21:59:00Z')).online).toBe(true);
    });

    it('New York, November: the repeated hour is open both times it is shown', () => {
      const repeated = hours('America/New_York', { sun: [['01:00', '02:00']] });
      // 01:00 EDT = 05:00Z, 02:00 EST = 07:00Z: the clocks show 01:xx for two hours.
      expect(availabilityOf(repeated, at('2025-11-02T04:00:00Z')).next_online_at).toBe('2025-11-02T05:00:00.000Z');
      expect(availabilityOf(repeated, at('2025-11-02T05:30:00Z')).online).toBe(true);
      expect(availabilityOf(repeated, at('2025-11-02T06:30:00Z')).online).toBe(true);
      expect(availabilityOf(repeated, at('2025-11-02T07:00:00Z')).online).toBe(false);
    });

    it('Lord Howe Island: a half-hour change moves the range by half an hour', () => {
      // Clocks go forward on Sunday 5 October 2025 at 02:00 (UTC+10:30) → 02:30 (UTC+11).
      const lordHowe = hours('Australia/Lord_Howe', { sun: [['02:00', '03:00']] });
      expect(availabilityOf(lordHowe, at('2025-10-04T15:00:00Z')).next_online_at).toBe('2025-10-04T15:30:00.000Z');
      expect(availabilityOf(lordHowe, at('2025-10-04T15:45:00Z')).online).toBe(true);
      expect(availabilityOf(lordHowe, at('2025-10-04T16:00:00Z')).online).toBe(false);
    });
  });
});

describe('wallTimeToUtc', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  const utc = (ms: number) => new Date(ms).toISOString();

  it('takes the first of a time shown twice and moves a skipped time on by the gap', () => {
    expect(utc(wallTimeToUtc(wall('2025-11-02T01:30:00'), 'America/New_York'))).toBe('2025-11-02T05:30:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-03-09T02:30:00'), 'America/New_York'))).toBe('2025-03-09T07:30:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-10-26T02:30:00'), 'Europe/Berlin'))).toBe('2025-10-26T00:30:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-03-30T02:30:00'), 'Europe/Berlin'))).toBe('2025-03-30T01:30:00.000Z');
  });

  it('is exact away from any change, east and west of Greenwich', () => {
    expect(utc(wallTimeToUtc(wall('2025-01-15T09:00:00'), 'Europe/Berlin'))).toBe('2025-01-15T08:00:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-07-15T09:00:00'), 'America/Los_Angeles'))).toBe('2025-07-15T16:00:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-07-15T09:00:00'), 'Asia/Kathmandu'))).toBe('2025-07-15T03:15:00.000Z');
    expect(utc(wallTimeToUtc(wall('2025-07-15T00:00:00'), 'UTC'))).toBe('2025-07-15T00:00:00.000Z');
  });
});

describe('parseBusinessHours and teamAvailability', () => {
  it('reads stored hours back, and counts none or unreadable ones as not configured', () => {
    const stored = weekdays('Europe/Berlin');
    expect(parseBusinessHours(JSON.stringify(stored))).toEqual(stored);
    expect(parseBusinessHours(null)).toBeNull();
    expect(parseBusinessHours('{not json')).toBeNull();
    expect(parseBusinessHours('"always"')).toBeNull();
  });

  it("answers a workspace's availability with its reply time", () => {
    const account = { business_hours: JSON.stringify(weekdays('Europe/Berlin')), reply_time: 'minutes' as const };
    expect(teamAvailability(account, at('2025-06-07T10:00:00Z'))).toEqual({
      online: false,
      next_online_at: '2025-06-09T07:00:00.000Z',
      reply_time: 'minutes',
    });
    expect(teamAvailability({ business_hours: null, reply_time: 'day' })).toEqual({
      online: true,
      next_online_at: null,
      reply_time: 'day',
    });
  });
});
