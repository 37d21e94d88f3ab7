import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Settings {
  id: string;
  name: string;
  timezone: string;
  idle_end_minutes: number;
  business_hours: unknown;
  reply_time: string;
  online: boolean;
  next_online_at: string | null;
  created_at: string;
  updated_at: string;
}
type One = { data: Settings };

const URL = '/api/v1/settings/workspace';

describe.each(DIALECTS)('workspace settings on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agent: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    agent = await loginAsAgentMember(t, admin);
  });
  afterAll(async () => t.close());

  it('shows the workspace to API keys, admins and agent members alike', async () => {
    const byKey = await api<One>(t, 'GET', URL);
    expect(byKey.status).toBe(200);
    expect(Object.keys(byKey.body.data).sort()).toEqual(
      [
        'business_hours',
        'created_at',
        'id',
        'idle_end_minutes',
        'name',
        'next_online_at',
        'online',
        'operator_reply_takes_over',
        'reply_time',
        'retention',
        'timezone',
        'updated_at',
      ].sort(),
    );
    expect(byKey.body.data).toMatchObject({
      id: t.workspace.accountId,
      name: 'Test workspace',
      timezone: 'UTC',
      idle_end_minutes: 0,
    });
    expect((await api<One>(t, 'GET', URL, undefined, admin.headers)).body).toEqual(byKey.body);
    expect((await api<One>(t, 'GET', URL, undefined, agent.headers)).body).toEqual(byKey.body);
  });

  it('lets an admin change name, timezone and idle minutes, moving updated_at', async () => {
    const before = await api<One>(t, 'GET', URL);
    await new Promise((r) => setTimeout(r, 3));
    const res = await api<One>(
      t,
      'POST',
      URL,
      { name: '  Acme Support ', timezone: 'Europe/Paris', idle_end_minutes: 30 },
      admin.headers,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Acme Support', timezone: 'Europe/Paris', idle_end_minutes: 30 });
    expect(res.body.data.created_at).toBe(before.body.data.created_at);
    expect(res.body.data.updated_at > before.body.data.updated_at).toBe(true);
    expect((await api<One>(t, 'GET', URL)).body).toEqual(res.body);

    const unchanged = await api<One>(t, 'POST', URL, {}, admin.headers);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toEqual(res.body);
    const same = await api<One>(t, 'POST', URL, { timezone: 'Europe/Paris', idle_end_minutes: 30 }, admin.headers);
    expect(same.body.data.updated_at).toBe(res.body.data.updated_at);
    const never = await api<One>(t, 'POST', URL, { idle_end_minutes: 0 }, admin.headers);
    expect(never.body.data.idle_end_minutes).toBe(0);
  });

  it('fixes the letter case of a time zone but keeps the zone the caller chose', async () => {
    const lower = await api<One>(t, 'POST', URL, { timezone: 'america/new_york' }, admin.headers);
    expect(lower.body.data.timezone).toBe('America/New_York');
    // ICU would answer Asia/Calcutta for this link; the caller asked for Kolkata.
    const link = await api<One>(t, 'POST', URL, { timezone: 'Asia/Kolkata' }, admin.headers);
    expect(link.body.data.timezone).toBe('Asia/Kolkata');
    const lowerLink = await api<One>(t, 'POST', URL, { timezone: 'asia/kolkata' }, admin.headers);
    expect(lowerLink.body.data.timezone).toBe('Asia/Kolkata');
  });

  it('refuses an unknown time zone with 422 and changes nothing', async () => {
    const before = await api<One>(t, 'GET', URL);
    for (const timezone of ['Mars/Olympus_Mons', '+01:00', 'UTC+1', 'Europe/Paris ', '../etc/passwd']) {
      const res = await api(t, 'POST', URL, { timezone, name: 'Changed' }, admin.headers);
      expect(res.status, timezone).toBe(422);
      expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
      expect(errorOf(res).details).toHaveProperty('timezone');
    }
    expect((await api<One>(t, 'GET', URL)).body).toEqual(before.body);
  });

  it('rejects malformed settings with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ idle_end_minutes: -1 }, 'idle_end_minutes'],
      [{ idle_end_minutes: 525_601 }, 'idle_end_minutes'],
      [{ idle_end_minutes: 1.5 }, 'idle_end_minutes'],
      [{ idle_end_minutes: '30' }, 'idle_end_minutes'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ timezone: 7 }, 'timezone'],
      [{ timezone: '' }, 'timezone'],
      [{ retention_days: 30 }, 'retention_days'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', URL, body, admin.headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await api(t, 'POST', URL, { idle_end_minutes: 525_600 }, admin.headers)).status).toBe(200);
  });

  it('answers 403 to agent members and API keys that try to change settings', async () => {
    const before = await api<One>(t, 'GET', URL);
    const byAgent = await api(t, 'POST', URL, { name: 'Agent was here' }, agent.headers);
    expect(byAgent.status).toBe(403);
    expect(errorOf(byAgent).code).toBe('FORBIDDEN');
    const byKey = await api(t, 'POST', URL, { name: 'Key was here' });
    expect(byKey.status).toBe(403);
    expect((await api<One>(t, 'GET', URL)).body).toEqual(before.body);
  });

  it("keeps each workspace's settings to itself", async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    await api(t, 'POST', URL, { name: 'Theirs', idle_end_minutes: 5 }, otherAdmin.headers);
    const theirs = await api<One>(t, 'GET', URL, undefined, other.auth);
    expect(theirs.body.data).toMatchObject({ id: other.accountId, name: 'Theirs', idle_end_minutes: 5 });
    const mine = await api<One>(t, 'GET', URL);
    expect(mine.body.data.id).toBe(t.workspace.accountId);
    expect(mine.body.data.name).not.toBe('Theirs');
  });
});
