import { describe, expect, it } from 'vitest';
import { addDays, createLocalCalendar, isKnownTimeZone } from './analytics.calendar.js';
import { median } from './analytics.tally.js';

describe('local calendar days', () => {
  it('finds the first instant of a local day, across DST changes and odd offsets', () => {
    const iso = (zone: string, date: string) => new Date(createLocalCalendar(zone).startOf(date)).toISOString();
    expect(iso('UTC', '2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
    expect(iso('Asia/Kolkata', '2024-05-01')).toBe('2024-04-30T18:30:00.000Z');
    expect(iso('Asia/Kathmandu', '2024-05-01')).toBe('2024-04-30T18:15:00.000Z');
    // Berlin on the days clocks go forward and back.
    expect(iso('Europe/Berlin', '2024-03-31')).toBe('2024-03-30T23:00:00.000Z');
    expect(iso('Europe/Berlin', '2024-04-01')).toBe('2024-03-31T22:00:00.000Z');
    expect(iso('Europe/Berlin', '2024-10-28')).toBe('2024-10-27T23:00:00.000Z');
    // Santiago skips from 00:00 to 01:00: that day starts at 01:00 local (-03:00).
    expect(iso('America/Santiago', '2024-09-08')).toBe('2024-09-08T04:00:00.000Z');
    expect(iso('Pacific/Kiritimati', '2024-05-01')).toBe('2024-04-30T10:00:00.000Z');
  });

  it('folds 15-minute UTC buckets into the right local day', () => {
    const kolkata = createLocalCalendar('Asia/Kolkata');
    const bucket = (iso: string) => Math.floor(Date.parse(iso) / 900_000);
    expect(kolkata.dateOfBucket(bucket('2024-05-01T18:15:00Z'))).toBe('2024-05-01');
    expect(kolkata.dateOfBucket(bucket('2024-05-01T18:30:00Z'))).toBe('2024-05-02');
    expect(kolkata.dateOf('2024-05-01T18:29:59.999Z')).toBe('2024-05-01');
    expect(kolkata.dateOf('2024-05-01T23:30:00.000Z')).toBe('2024-05-02');
  });

  it('lists the last days ending today', () => {
    const berlin = createLocalCalendar('Europe/Berlin');
    const range = berlin.lastDays(3, new Date('2024-03-31T22:30:00Z'));
    expect(range).toEqual({
      dates: ['2024-03-30', '2024-03-31', '2024-04-01'],
      from: '2024-03-29T23:00:00.000Z',
      to: '2024-04-01T22:00:00.000Z',
    });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 4, 6, 20])).toBe(8);
    expect(median([0.0004, 0.0006])).toBe(0.001);
  });
});
