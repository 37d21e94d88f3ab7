import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createSnoozeWakeTask } from './conversations.wake.task.js';
import { createIdleEndingTask } from '../accounts/idle-ending.task.js';

interface Conversation {
  id: string;
  status: string;
  snoozed_until: string | null;
  ended_at: string | null;
  end_reason: string | null;
}
type One = { data: Conversation };
type Many = { data: Conversation[] };
interface LoggedEvent {
  type: string;
  data: { conversation: Conversation; reason?: string };
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** Issue 16: snoozing a conversation until a time or the contact's reply, and reopening one. */
describe.each(DIALECTS)('snooze and reopen on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  async function start(): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    const conv = await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    return conv.body.data.id;
  }
  const post = (path: string, body: unknown = {}, headers = admin.headers) => api<One>(t, 'POST', `/api/v1/conversations/${path}`, body, headers);
  const listIds = async (query: string) => (await api<Many>(t, 'GET', `/api/v1/conversations?limit=100&${query}`, undefined, admin.headers)).body.data.map((c) => c.id);
  async function eventsOf(type: string, id: string): Promise<LoggedEvent[]> {
    const res = await api<{ data: LoggedEvent[] }>(t, 'GET', `/api/v1/events?after=0&limit=100&type=${type}`);
    return res.body.data.filter((e) => e.data.conversation.id === id);
  }

  it('refuses other accounts, bad times and ended conversations before snoozing anything', async () => {
    const id = await start();
    const other = await t.otherWorkspace();
    for (const path of [`${id}/snooze`, `${id}/unsnooze`, `${id}/reopen`]) {
      const res = await api(t, 'POST', `/api/v1/conversations/${path}`, path.endsWith('snooze') && !path.endsWith('unsnooze') ? { until: inHours(1) } : {}, other.auth);
      expect(res.status, path).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    for (const until of ['tomorrow', '2026-13-45T00:00:00Z', '']) {
      const res = await post(`${id}/snooze`, { until });
      expect(res.status, until).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    expect((await post(`${id}/snooze`, {})).status).toBe(400);
    const past = await post(`${id}/snooze`, { until: inHours(-1) });
    expect(past.status).toBe(422);
    expect(errorOf(past).details).toEqual({ until: ['must be in the future'] });
    const far = await post(`${id}/snooze`, { until: inHours(24 * 400) });
    expect(far.status).toBe(422);
    expect(errorOf(far).details).toEqual({ until: ['must be within a year from now'] });
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${id}`)).body.data.snoozed_until).toBeNull();

    await post(`${id}/end`);
    const ended = await post(`${id}/snooze`, { until: inHours(1) });
    expect(ended.status).toBe(422);
    expect(errorOf(ended).code).toBe('UNPROCESSABLE_ENTITY');
  });

  it('hides a snoozed conversation from the open view and shows it under snoozed', async () => {
    const id = await start();
    const until = inHours(3);
    const res = await post(`${id}/snooze`, { until });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.snoozed_until).toBe(until);
    expect(await listIds('view=snoozed')).toContain(id);
    expect(await listIds('view=open')).not.toContain(id);
    expect(await listIds('snoozed=true')).toContain(id);
    expect(await listIds('snoozed=false')).not.toContain(id);
    const snoozed = await eventsOf('conversation.snoozed', id);
    expect(snoozed).toHaveLength(1);
    expect(snoozed[0].data.conversation.snoozed_until).toBe(until);
    // The same time again changes nothing and announces nothing.
    expect((await post(`${id}/snooze`, { until })).status).toBe(200);
    expect(await eventsOf('conversation.snoozed', id)).toHaveLength(1);

    const woken = await post(`${id}/unsnooze`);
    expect(woken.body.data.snoozed_until).toBeNull();
    expect((await eventsOf('conversation.unsnoozed', id)).map((e) => e.data.reason)).toEqual(['manual']);
    // Not snoozed: answered as it is, with no event.
    expect((await post(`${id}/unsnooze`)).status).toBe(200);
    expect(await eventsOf('conversation.unsnoozed', id)).toHaveLength(1);
    expect(await listIds('view=open')).toContain(id);
  });

  it("wakes a snoozed conversation when the contact writes, in the message's transaction", async () => {
    const id = await start();
    await post(`${id}/snooze`, { until: inHours(5) });
    const sent = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Any news on my order?' });
    expect(sent.status, sent.text).toBe(201);
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${id}`)).body.data.snoozed_until).toBeNull();
    const events = await eventsOf('conversation.unsnoozed', id);
    expect(events.map((e) => e.data.reason)).toEqual(['contact_message']);
    expect(events[0].data.conversation.snoozed_until).toBeNull();
    expect(await listIds('view=open')).toContain(id);
    // A note by the team does not wake it.
    await post(`${id}/snooze`, { until: inHours(5) });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Checking with the warehouse', role: 'note' }, admin.headers);
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${id}`)).body.data.snoozed_until).not.toBeNull();
  });

  it('wakes conversations whose time has come from the background task', async () => {
    const due = await start();
    const later = await start();
    await post(`${due}/snooze`, { until: inHours(1) });
    await post(`${later}/snooze`, { until: inHours(48) });
    const task = createSnoozeWakeTask({
      database: t.database,
      eventLog: t.services.eventLog,
      presentConversation: (accountId, id, trx) => t.services.conversations.presentStored(accountId, id, trx),
    });
    expect(await task.run(new Date())).toBe(0);
    expect(await task.run(new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${due}`)).body.data.snoozed_until).toBeNull();
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${later}`)).body.data.snoozed_until).not.toBeNull();
    const events = await eventsOf('conversation.unsnoozed', due);
    expect(events.map((e) => e.data.reason)).toEqual(['time']);
    expect(await task.run(new Date(Date.now() + 2 * 3_600_000))).toBe(0);
  });

  it('clears the snooze when the conversation ends', async () => {
    const id = await start();
    await post(`${id}/snooze`, { until: inHours(2) });
    const ended = await post(`${id}/end`);
    expect(ended.body.data).toMatchObject({ status: 'ended', snoozed_until: null });
    expect(await listIds('view=snoozed')).not.toContain(id);
  });

  it('keeps a snoozed conversation from being ended as idle', async () => {
    const snoozed = await start();
    const idle = await start();
    await post(`${snoozed}/snooze`, { until: inHours(48) });
    await t.services.repos.accounts.updateAccount(t.workspace.accountId, () => ({ idle_end_minutes: 60 }));
    const task = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored });
    await task.run(new Date(Date.now() + 3 * 3_600_000));
    await t.services.repos.accounts.updateAccount(t.workspace.accountId, () => ({ idle_end_minutes: 0 }));
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${idle}`)).body.data.status).toBe('ended');
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${snoozed}`)).body.data).toMatchObject({ status: 'active', snoozed_until: expect.any(String) });
  });

  it('reopens an ended conversation for the team; the contact may write again', async () => {
    const id = await start();
    const active = await post(`${id}/reopen`);
    expect(active.status).toBe(422);
    expect(errorOf(active).details).toEqual({ status: ['is active'] });
    await post(`${id}/end`);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' })).status).toBe(422);

    const reopened = await post(`${id}/reopen`);
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.body.data).toMatchObject({ status: 'active', ended_at: null, end_reason: null });
    expect(await eventsOf('conversation.reopened', id)).toHaveLength(1);
    expect(await listIds('view=open')).toContain(id);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello again' })).status).toBe(201);
    expect((await post(`${id}/reopen`)).status).toBe(422);
  });
});
