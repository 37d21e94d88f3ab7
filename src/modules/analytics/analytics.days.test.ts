import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import type { TallyView } from './analytics.tally.js';

type Day = TallyView & { date: string };
type Result = { data: { range: { from: string; to: string; timezone: string; days: number }; totals: TallyView; series: Day[] } };

const DAY_MS = 86_400_000;
const utcDate = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);
const at = (date: string, hms: string) => `${date}T${hms}.000Z`;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Local days in the workspace's time zone, and the edges of the range. */
describe.each(DIALECTS)('analytics days on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** A conversation with one user message (and the AI's reply), all at `iso`. */
  async function conversationAt(auth: Record<string, string>, email: string, iso: string): Promise<void> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email }, auth);
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id }, auth);
    const id = conv.body.data.id;
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello' }, auth);
    await t.database.db.updateTable('conversations').set({ created_at: iso }).where('id', '=', id).execute();
    await t.database.db.updateTable('messages').set({ created_at: iso }).where('conversation_id', '=', id).execute();
  }

  it('counts a day in the workspace time zone: 23:30 UTC is the next day in Asia/Kolkata', async () => {
    const ws = await t.otherWorkspace();
    const admin = await login(t, ws.adminEmail, ws.adminPassword);
    const x = utcDate(-3);
    // 18:29:59 UTC is 23:59:59 in Kolkata (+05:30); 18:30 and 23:30 UTC are already the next day there.
    await conversationAt(ws.auth, 'last-second@example.com', at(x, '18:29:59'));
    await conversationAt(ws.auth, 'midnight@example.com', at(x, '18:30:00'));
    await conversationAt(ws.auth, 'late@example.com', at(x, '23:30:00'));
    const get = () => api<Result>(t, 'GET', '/api/v1/analytics?days=10', undefined, ws.auth);
    const day = (res: Result, date: string) => res.data.series.find((d) => d.date === date)!;

    const utc = (await get()).body;
    expect(day(utc, x).conversations.started).toBe(3);
    expect(day(utc, x).messages).toMatchObject({ user: 3, assistant: 3 });

    await api(t, 'POST', '/api/v1/settings/workspace', { timezone: 'Asia/Kolkata' }, admin.headers);
    const kolkata = (await get()).body;
    const today = new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
    expect(kolkata.data.range).toEqual({
      timezone: 'Asia/Kolkata',
      days: 10,
      from: at(addDays(today, -10), '18:30:00'),
      to: at(today, '18:30:00'),
    });
    expect(kolkata.data.series.at(-1)!.date).toBe(today);
    expect(day(kolkata, x).conversations.started).toBe(1);
    expect(day(kolkata, x).messages).toMatchObject({ user: 1, assistant: 1 });
    expect(day(kolkata, addDays(x, 1)).conversations.started).toBe(2);
    expect(day(kolkata, addDays(x, 1)).messages).toMatchObject({ user: 2, assistant: 2 });
    expect(kolkata.data.totals.conversations.started).toBe(3);

    // Europe/Berlin is ahead of UTC all year: 23:30 UTC is the next day there too.
    await api(t, 'POST', '/api/v1/settings/workspace', { timezone: 'Europe/Berlin' }, admin.headers);
    const berlin = (await get()).body;
    expect(day(berlin, x).conversations.started).toBe(2);
    expect(day(berlin, addDays(x, 1)).conversations.started).toBe(1);
  });

  it('counts only today with days=1, and a whole year with days=365', async () => {
    const ws = await t.otherWorkspace();
    const now = new Date().toISOString();
    await conversationAt(ws.auth, 'today@example.com', now);
    await conversationAt(ws.auth, 'yesterday@example.com', at(utcDate(-1), '12:00:00'));
    await conversationAt(ws.auth, 'year@example.com', at(utcDate(-364), '00:00:00'));
    await conversationAt(ws.auth, 'too-old@example.com', at(utcDate(-365), '23:59:59'));
    const get = (q: string) => api<Result>(t, 'GET', `/api/v1/analytics${q}`, undefined, ws.auth);

    const one = (await get('?days=1')).body.data;
    expect(one.range).toEqual({ timezone: 'UTC', days: 1, from: at(utcDate(0), '00:00:00'), to: at(utcDate(1), '00:00:00') });
    expect(one.series.map((d) => d.date)).toEqual([utcDate(0)]);
    expect(one.totals.conversations.started).toBe(1);
    expect(one.series[0].conversations.started).toBe(1);

    const year = (await get('?days=365')).body.data;
    expect(year.series).toHaveLength(365);
    expect(year.series[0].date).toBe(utcDate(-364));
    expect(year.series[0].conversations.started).toBe(1);
    expect(year.totals.conversations.started).toBe(3);
    expect(year.totals.messages.user).toBe(3);

    const month = (await get('')).body.data;
    expect(month.range.days).toBe(30);
    expect(month.series).toHaveLength(30);
    expect(month.totals.conversations.started).toBe(2);
  });
});
