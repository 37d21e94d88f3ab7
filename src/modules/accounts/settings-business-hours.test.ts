import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { WEEKDAYS, type BusinessHours, type TimeRange } from './business-hours.js';

interface Settings {
  id: string;
  name: string;
  timezone: string;
  business_hours: BusinessHours | null;
  reply_time: 'minutes' | 'hours' | 'day';
  online: boolean;
  next_online_at: string | null;
  updated_at: string;
}
type One = { data: Settings };

const URL = '/api/v1/settings/workspace';
const DAY_MS = 86_400_000;
const NINE_TO_FIVE: TimeRange[] = [['09:00', '17:00']];
const ALL_DAY: TimeRange[] = [['00:00', '24:00']];
const everyDay = (ranges: TimeRange[]) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges]));

describe.each(DIALECTS)('business hours in the workspace settings on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agent: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    agent = await loginAsAgentMember(t, admin);
  });
  afterAll(async () => t.close());

  const get = async () => (await api<One>(t, 'GET', URL)).body.data;
  const storedRow = () =>
    t.database.db
      .selectFrom('accounts')
      .select(['business_hours', 'reply_time', 'updated_at'])
      .where('id', '=', t.workspace.accountId)
      .executeTakeFirstOrThrow();

  it('starts without business hours: always online, replying within hours', async () => {
    expect(await get()).toMatchObject({ business_hours: null, reply_time: 'hours', online: true, next_online_at: null });
    expect(await storedRow()).toMatchObject({ business_hours: null, reply_time: 'hours' });
  });

  it('answers 403 to agent members and API keys that try to set business hours, and stores nothing', async () => {
    const before = await storedRow();
    const body = { business_hours: { enabled: true, days: { mon: NINE_TO_FIVE } }, reply_time: 'day' };
    const byAgent = await api(t, 'POST', URL, body, agent.headers);
    expect(byAgent.status).toBe(403);
    expect(errorOf(byAgent).code).toBe('FORBIDDEN');
    const byKey = await api(t, 'POST', URL, body);
    expect(byKey.status).toBe(403);
    expect(errorOf(byKey).code).toBe('FORBIDDEN');
    expect(await storedRow()).toEqual(before);
  });

  it('refuses malformed hours with 400 naming the field, and stores nothing', async () => {
    const before = await storedRow();
    const cases: Array<[unknown, string]> = [
      [{ business_hours: 'always' }, 'business_hours'],
      [{ business_hours: { days: {} } }, 'business_hours.enabled'],
      [{ business_hours: { enabled: 'yes', days: {} } }, 'business_hours.enabled'],
      [{ business_hours: { enabled: true } }, 'business_hours.days'],
      [{ business_hours: { enabled: true, days: { monday: NINE_TO_FIVE } } }, 'business_hours.days.monday'],
      [{ business_hours: { enabled: true, days: { mon: [['9:00', '17:00']] } } }, 'business_hours.days.mon.0.0'],
      [{ business_hours: { enabled: true, days: { mon: [['09:00', '24:30']] } } }, 'business_hours.days.mon.0.1'],
      [{ business_hours: { enabled: true, days: { mon: [['09:00']] } } }, 'business_hours.days.mon.0'],
      [{ business_hours: { enabled: true, days: { mon: Array(5).fill(['09:00', '10:00']) } } }, 'business_hours.days.mon'],
      [{ business_hours: { enabled: true, days: {}, holidays: [] } }, 'business_hours.holidays'],
      [{ business_hours: { enabled: true, timezone: '', days: {} } }, 'business_hours.timezone'],
      [{ reply_time: 'weeks' }, 'reply_time'],
      [{ reply_time: null }, 'reply_time'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', URL, { name: 'Changed', ...(body as object) }, admin.headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(Object.keys(errorOf(res).details), JSON.stringify(body)).toContain(field);
    }
    expect(await storedRow()).toEqual(before);
    expect((await get()).name).not.toBe('Changed');
  });

  it('refuses impossible hours with 422 naming the field, and stores nothing', async () => {
    const before = await storedRow();
    const cases: Array<[unknown, string]> = [
      [{ enabled: true, days: { tue: [['17:00', '09:00']] } }, 'business_hours.days.tue.0'],
      [{ enabled: true, days: { wed: [['09:00', '09:00']] } }, 'business_hours.days.wed.0'],
      [{ enabled: true, days: { thu: [['09:00', '13:00'], ['12:00', '17:00']] } }, 'business_hours.days.thu.1'],
      [{ enabled: true, timezone: 'Mars/Olympus_Mons', days: {} }, 'business_hours.timezone'],
    ];
    for (const [hours, field] of cases) {
      const res = await api(t, 'POST', URL, { name: 'Changed', reply_time: 'day', business_hours: hours }, admin.headers);
      expect(res.status, JSON.stringify(hours)).toBe(422);
      expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
      expect(Object.keys(errorOf(res).details)).toEqual([field]);
    }
    expect(await storedRow()).toEqual(before);
    expect((await get()).name).not.toBe('Changed');
  });

  it("lets an admin set hours in the workspace's time zone and a reply time; GET answers the same", async () => {
    await api(t, 'POST', URL, { timezone: 'Europe/Berlin' }, admin.headers);
    const before = await get();
    await new Promise((r) => setTimeout(r, 3));
    const res = await api<One>(
      t,
      'POST',
      URL,
      {
        business_hours: { enabled: true, days: { fri: [['13:30', '17:00'], ['09:00', '12:30']], mon: NINE_TO_FIVE } },
        reply_time: 'minutes',
      },
      admin.headers,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.business_hours).toEqual({
      enabled: true,
      timezone: 'Europe/Berlin',
      days: {
        mon: [['09:00', '17:00']],
        tue: [],
        wed: [],
        thu: [],
        fri: [['09:00', '12:30'], ['13:30', '17:00']],
        sat: [],
        sun: [],
      },
    });
    expect(res.body.data.reply_time).toBe('minutes');
    expect(typeof res.body.data.online).toBe('boolean');
    expect(res.body.data.updated_at > before.updated_at).toBe(true);
    expect((await api<One>(t, 'GET', URL)).body).toEqual(res.body);

    // The same hours again change nothing, not even updated_at.
    const again = await api<One>(
      t,
      'POST',
      URL,
      { business_hours: { ...res.body.data.business_hours, timezone: 'europe/berlin' }, reply_time: 'minutes' },
      admin.headers,
    );
    expect(again.body.data.updated_at).toBe(res.body.data.updated_at);
  });

  it('keeps the zone the hours were set in when the workspace moves; a zone sent along is used', async () => {
    const moved = await api<One>(t, 'POST', URL, { timezone: 'Asia/Tokyo' }, admin.headers);
    expect(moved.body.data.business_hours?.timezone).toBe('Europe/Berlin');
    const both = await api<One>(
      t,
      'POST',
      URL,
      { timezone: 'America/New_York', business_hours: { enabled: true, days: { mon: NINE_TO_FIVE } } },
      admin.headers,
    );
    expect(both.body.data.timezone).toBe('America/New_York');
    expect(both.body.data.business_hours?.timezone).toBe('America/New_York');
    const own = await api<One>(
      t,
      'POST',
      URL,
      { business_hours: { enabled: true, timezone: 'asia/tokyo', days: { mon: NINE_TO_FIVE } } },
      admin.headers,
    );
    expect(own.body.data.business_hours?.timezone).toBe('Asia/Tokyo');
  });

  it('says at each read whether the team is online and when it is next back', async () => {
    const post = async (business_hours: unknown) => {
      const res = await api<One>(t, 'POST', URL, { business_hours }, admin.headers);
      expect(res.status, res.text).toBe(200);
      return res.body.data;
    };
    expect(await post({ enabled: true, timezone: 'UTC', days: everyDay(ALL_DAY) })).toMatchObject({
      online: true,
      next_online_at: null,
    });
    expect(await post({ enabled: true, timezone: 'UTC', days: {} })).toMatchObject({ online: false, next_online_at: null });
    expect(await post({ enabled: false, timezone: 'UTC', days: {} })).toMatchObject({ online: true, next_online_at: null });

    // One hour, three days from now: closed until then whatever the time of day.
    const then = new Date(Date.now() + 3 * DAY_MS);
    const day = WEEKDAYS[(then.getUTCDay() + 6) % 7]!;
    const opening = await post({ enabled: true, timezone: 'UTC', days: { [day]: [['10:00', '11:00']] } });
    expect(opening.online).toBe(false);
    expect(opening.next_online_at).toBe(`${then.toISOString().slice(0, 10)}T10:00:00.000Z`);
    expect(await get()).toMatchObject({ online: false, next_online_at: opening.next_online_at });

    // Seen from Kolkata (UTC+05:30), the same wall-clock hour opens five and a half hours earlier.
    const kolkata = await post({ enabled: true, timezone: 'Asia/Kolkata', days: { [day]: [['10:00', '11:00']] } });
    expect(kolkata.next_online_at).toBe(`${then.toISOString().slice(0, 10)}T04:30:00.000Z`);
  });

  it('clears the hours with null, keeping the reply time', async () => {
    await api(t, 'POST', URL, { reply_time: 'day' }, admin.headers);
    const res = await api<One>(t, 'POST', URL, { business_hours: null }, admin.headers);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ business_hours: null, reply_time: 'day', online: true, next_online_at: null });
    expect(await storedRow()).toMatchObject({ business_hours: null, reply_time: 'day' });
  });

  it("keeps each workspace's hours to itself", async () => {
    await api(t, 'POST', URL, { business_hours: { enabled: true, timezone: 'UTC', days: {} } }, admin.headers);
    const other = await t.otherWorkspace();
    const theirs = await api<One>(t, 'GET', URL, undefined, other.auth);
    expect(theirs.body.data).toMatchObject({ business_hours: null, reply_time: 'hours', online: true });
    expect((await get()).online).toBe(false);
  });
});
