import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

type Retention = Record<string, number | null>;
type One = { data: { retention: Retention; updated_at: string } };
const URL = '/api/v1/settings/workspace';

describe.each(DIALECTS)('retention settings on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agent: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    agent = await loginAsAgentMember(t, admin);
  });
  afterAll(async () => t.close());

  it('keeps everything forever except the audit log, kept a year, in a new workspace', async () => {
    const res = await api<One>(t, 'GET', URL);
    expect(res.body.data.retention).toEqual({
      ended_conversations_days: null,
      events_days: null,
      webhook_deliveries_days: null,
      automation_runs_days: null,
      audit_log_days: 365,
    });
  });

  it('changes the periods an admin gives and keeps the others', async () => {
    const res = await api<One>(t, 'POST', URL, { retention: { ended_conversations_days: 30, events_days: 7 } }, admin.headers);
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.retention).toMatchObject({ ended_conversations_days: 30, events_days: 7, audit_log_days: 365 });
    const cleared = await api<One>(t, 'POST', URL, { retention: { events_days: null, audit_log_days: null } }, admin.headers);
    expect(cleared.body.data.retention).toEqual({
      ended_conversations_days: 30,
      events_days: null,
      webhook_deliveries_days: null,
      automation_runs_days: null,
      audit_log_days: null,
    });
    expect((await api<One>(t, 'GET', URL, undefined, agent.headers)).body.data.retention.ended_conversations_days).toBe(30);
  });

  it.each([
    ['a negative number', { events_days: -1 }, 'events_days', 'must be at least 1'],
    ['zero', { events_days: 0 }, 'events_days', 'must be at least 1'],
    ['a fraction', { webhook_deliveries_days: 1.5 }, 'webhook_deliveries_days', 'whole number'],
    ['text', { automation_runs_days: 'a month' }, 'automation_runs_days', 'whole number'],
    ['an absurdly long period', { audit_log_days: 10_000_000 }, 'audit_log_days', 'must be at most 36500'],
    ['an unknown kind of data', { messages_days: 5 }, 'messages_days', 'is not a field Parley knows'],
  ])('refuses %s in plain words and changes nothing', async (_what, retention, field, words) => {
    const before = await api<One>(t, 'GET', URL);
    const res = await api(t, 'POST', URL, { retention }, admin.headers);
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const error = errorOf(res);
    expect(JSON.stringify(error.details)).toContain(field);
    expect(JSON.stringify(error.details)).toContain(words);
    expect((await api<One>(t, 'GET', URL)).body).toEqual(before.body);
  });

  it('lets only admins change retention', async () => {
    expect((await api(t, 'POST', URL, { retention: { events_days: 1 } }, agent.headers)).status).toBe(403);
    expect((await api(t, 'POST', URL, { retention: { events_days: 1 } })).status).toBe(403);
  });
});
