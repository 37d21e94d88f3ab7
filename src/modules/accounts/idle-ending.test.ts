import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createIdleEndingTask } from './idle-ending.task.js';
import { createSnoozeWakeTask } from '../conversations/conversations.wake.task.js';

type Auth = { authorization: string };
interface ConversationState {
  status: string;
  end_reason: string | null;
  ended_at: string | null;
  updated_at: string;
}

const MINUTE = 60_000;
const minutesFromNow = (m: number) => new Date(Date.now() + m * MINUTE);

describe.each(DIALECTS)('ending idle conversations on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** A workspace of its own, with the given idle limit, so each test sees only its conversations. */
  async function workspace(idleEndMinutes: number): Promise<{ accountId: string; auth: Auth }> {
    const ws = await t.otherWorkspace();
    await t.services.repos.accounts.updateAccount(ws.accountId, () => ({ idle_end_minutes: idleEndMinutes }));
    return { accountId: ws.accountId, auth: ws.auth };
  }

  async function conversation(auth: Auth): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {}, auth);
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id }, auth);
    expect(conv.status).toBe(201);
    return conv.body.data.id;
  }

  async function stored(id: string): Promise<ConversationState> {
    return t.database.db
      .selectFrom('conversations')
      .select(['status', 'end_reason', 'ended_at', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('ends a conversation idle past the limit as abandoned, and leaves a recently active one', async () => {
    const ws = await workspace(30);
    const idle = await conversation(ws.auth);
    const recent = await conversation(ws.auth);
    // Its last message came 40 minutes from now, so at `now` below it has been quiet for 5 minutes.
    const lastMessage = minutesFromNow(40).toISOString();
    await t.database.db.updateTable('conversations').set({ last_message_at: lastMessage }).where('id', '=', recent).execute();
    const task = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored });

    expect(await task.run(minutesFromNow(20))).toBe(0);
    expect((await stored(idle)).status).toBe('active');

    const now = minutesFromNow(45);
    expect(await task.run(now)).toBe(1);
    expect(await stored(idle)).toEqual({
      status: 'ended',
      end_reason: 'abandoned',
      ended_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    expect((await stored(recent)).status).toBe('active');
    const shown = await api<{ data: ConversationState }>(t, 'GET', `/api/v1/conversations/${idle}`, undefined, ws.auth);
    expect(shown.body.data).toMatchObject({ status: 'ended', end_reason: 'abandoned', ended_at: now.toISOString() });

    // Idempotent: running again at the same moment finds nothing more to do.
    expect(await task.run(now)).toBe(0);
    expect((await stored(idle)).ended_at).toBe(now.toISOString());
  });

  it('sums up a conversation it ends, unless a summary was set', async () => {
    const ws = await workspace(30);
    const asked = await conversation(ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${asked}/messages`, { content: 'Do you deliver on Sundays?' }, ws.auth);
    const kept = await conversation(ws.auth);
    await api(t, 'PATCH', `/api/v1/conversations/${kept}`, { summary: 'From our CRM' }, ws.auth);
    const task = createIdleEndingTask({
      database: t.database,
      eventLog: t.services.eventLog,
      presentConversation: t.services.conversations.presentStored,
      summarize: t.services.conversations.summarizeEnded,
    });
    // (Conversations left active by the tests above end too.)
    expect(await task.run(minutesFromNow(90))).toBeGreaterThanOrEqual(2);
    const summaryOf = async (id: string) => (await api<{ data: { summary: string | null } }>(t, 'GET', `/api/v1/conversations/${id}`, undefined, ws.auth)).body.data.summary;
    expect(await summaryOf(asked)).toMatch(/^The customer asked “Do you deliver on Sundays\?”\. The AI replied 1 time/);
    expect(await summaryOf(kept)).toBe('From our CRM');
  });

  it('measures idleness against each account’s own limit and never touches an account set to 0', async () => {
    const never = await workspace(0);
    const hourly = await workspace(60);
    const kept = await conversation(never.auth);
    const slow = await conversation(hourly.auth);
    const task = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored });

    await task.run(minutesFromNow(45));
    expect((await stored(slow)).status).toBe('active');
    await task.run(minutesFromNow(61));
    expect((await stored(slow)).end_reason).toBe('abandoned');
    await task.run(minutesFromNow(525_600 * 2));
    expect(await stored(kept)).toMatchObject({ status: 'active', end_reason: null, ended_at: null });
  });

  it('leaves conversations that already ended exactly as they were', async () => {
    const ws = await workspace(1);
    const id = await conversation(ws.auth);
    const ended = await api(t, 'POST', `/api/v1/conversations/${id}/end`, undefined, ws.auth);
    expect(ended.status).toBe(200);
    const before = await stored(id);
    expect(before.end_reason).toBe('ended');
    await createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored }).run(minutesFromNow(120));
    expect(await stored(id)).toEqual(before);
  });

  it('works through many conversations in batches, ending each once even when runs overlap', async () => {
    const ws = await workspace(5);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await conversation(ws.auth));
    const now = minutesFromNow(6);
    const a = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored, batchSize: 2 });
    const b = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored, batchSize: 3 });
    const [byA, byB] = await Promise.all([a.run(now), b.run(now)]);
    expect(byA + byB).toBe(7);
    for (const id of ids) expect((await stored(id)).end_reason).toBe('abandoned');
  });
  it('counts the quiet time of a woken or reopened conversation from when it came back', async () => {
    const ws = await workspace(30);
    const woken = await conversation(ws.auth);
    const reopened = await conversation(ws.auth);
    const present = (accountId: string, id: string, trx: Parameters<typeof t.services.conversations.presentStored>[2]) =>
      t.services.conversations.presentStored(accountId, id, trx);
    const idle = createIdleEndingTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: t.services.conversations.presentStored });
    const wake = createSnoozeWakeTask({ database: t.database, eventLog: t.services.eventLog, presentConversation: present });

    // Reopened by a person now, its last message two hours old: quiet since now, not since then.
    const twoHoursAgo = minutesFromNow(-120).toISOString();
    await t.database.db.updateTable('conversations').set({ created_at: twoHoursAgo, last_message_at: twoHoursAgo }).where('id', '=', reopened).execute();
    expect((await api(t, 'POST', `/api/v1/conversations/${reopened}/end`, {}, ws.auth)).status).toBe(200);
    expect((await api(t, 'POST', `/api/v1/conversations/${reopened}/reopen`, {}, ws.auth)).status).toBe(200);
    // Set aside for two hours: long past the 30-minute limit, but a snooze is not idleness.
    const snooze = await api(t, 'POST', `/api/v1/conversations/${woken}/snooze`, { until: minutesFromNow(120).toISOString() }, ws.auth);
    expect(snooze.status).toBe(200);
    expect(await idle.run(minutesFromNow(20))).toBe(0);
    expect((await stored(reopened)).status).toBe('active');

    // Woken when its time came: back to the team only then.
    expect(await wake.run(minutesFromNow(121))).toBeGreaterThanOrEqual(1);
    expect(await idle.run(minutesFromNow(131))).toBe(1);
    expect((await stored(reopened)).end_reason).toBe('abandoned');
    expect((await stored(woken)).status).toBe('active');

    // Quiet past the limit from its waking on: it ends as abandoned too.
    expect(await idle.run(minutesFromNow(160))).toBe(1);
    expect((await stored(woken)).end_reason).toBe('abandoned');
  });
});
