import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import type { TallyView } from './analytics.tally.js';

type Day = TallyView & { date: string };
interface Analytics {
  range: { from: string; to: string; timezone: string; days: number };
  totals: TallyView;
  series: Day[];
  top_tags: Array<{ tag: string; count: number }>;
}
type Result = { data: Analytics };
type Auth = Record<string, string>;

const DAY_MS = 86_400_000;
/** The UTC date `n` days from today. */
const utcDate = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);
const at = (date: string, hms: string) => `${date}T${hms}.000Z`;

/** Seeds through the API, then moves the rows' timestamps to where a scenario needs them. */
function seeder(t: TestApp) {
  const db = t.database.db;
  return {
    async conversation(auth: Auth, contactEmail: string, agentId?: string): Promise<string> {
      const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: contactEmail }, auth);
      const body = agentId ? { contact_id: contact.body.data.id, agent_id: agentId } : { contact_id: contact.body.data.id };
      const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', body, auth);
      expect(res.status, res.text).toBe(201);
      return res.body.data.id;
    },
    async post(auth: Auth, id: string, content: string, role: 'user' | 'operator' | 'note' = 'user') {
      const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content, role }, auth);
      expect(res.status, res.text).toBe(201);
    },
    /** Sets the conversation's times and its messages' times, in id order (roles are checked). */
    async place(id: string, times: { created: string; ended?: string; messages?: Array<[string, string]>; modes?: string[]; feedback?: string }) {
      await db
        .updateTable('conversations')
        .set({ created_at: times.created, ...(times.ended ? { ended_at: times.ended } : {}) })
        .where('id', '=', id)
        .execute();
      const messages = await db.selectFrom('messages').select(['id', 'role']).where('conversation_id', '=', id).orderBy('id').execute();
      expect(messages.map((m) => m.role)).toEqual((times.messages ?? []).map(([role]) => role));
      for (const [i, m] of messages.entries()) {
        await db.updateTable('messages').set({ created_at: times.messages![i][1] }).where('id', '=', m.id).execute();
      }
      if (times.feedback) {
        await db.updateTable('messages').set({ feedback_at: times.feedback }).where('conversation_id', '=', id).where('feedback_rating', 'is not', null).execute();
      }
      const events = await db.selectFrom('events').select(['id', 'data']).where('type', '=', 'conversation.mode_changed').orderBy('id').execute();
      const mine = events.filter((e) => (JSON.parse(e.data) as { conversation: { id: string } }).conversation.id === id);
      expect(mine).toHaveLength(times.modes?.length ?? 0);
      for (const [i, e] of mine.entries()) await db.updateTable('events').set({ created_at: times.modes![i] }).where('id', '=', e.id).execute();
    },
    async assistantId(id: string): Promise<number> {
      const row = await db.selectFrom('messages').select('id').where('conversation_id', '=', id).where('role', '=', 'assistant').executeTakeFirstOrThrow();
      return row.id;
    },
  };
}

const bySource = { ai: 0, visitor: 0, operator: 0, automation: 0, api: 0 };
const zero = {
  conversations: { started: 0, ended: 0, abandoned: 0, ai_resolved: 0, handoffs: 0, handoffs_by_source: bySource },
  messages: { user: 0, assistant: 0, operator: 0, note: 0 },
  median_first_response_seconds: { ai: null, human: null },
  median_time_to_end_seconds: null,
  feedback: { likes: 0, dislikes: 0 },
  average_score: null,
  scored_conversations: 0,
  csat: { count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } },
};
const csatOf = (average: number | null, counts: [number, number, number, number, number]) => ({
  count: counts.reduce((a, b) => a + b, 0),
  average,
  distribution: { '1': counts[0], '2': counts[1], '3': counts[2], '4': counts[3], '5': counts[4] },
});

describe.each(DIALECTS)('analytics on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let otherAgentId: string;
  const d1 = utcDate(-2);
  const d2 = utcDate(-1);
  const get = (query = '', auth: Auth = t.auth) => api<Result>(t, 'GET', `/api/v1/analytics${query}`, undefined, auth);
  const dayOf = (data: Analytics, date: string) => data.series.find((d) => d.date === date)!;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const s = seeder(t);
    const key = t.auth;
    const member = admin.headers;
    // Operators here answer beside the AI without taking over (C, F), as the setting allows.
    await api(t, 'POST', '/api/v1/settings/workspace', { operator_reply_takes_over: false }, member);
    // The AI's declines are counted as such here, without handing the conversations over.
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { handoff_after_declines: 0 }, member);
    otherAgentId = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Billing bot', handoff_after_declines: 0 }, member)).body.data.id;
    const ids: Record<string, string> = {};
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) ids[name] = await s.conversation(key, `${name.toLowerCase()}@example.com`);
    ids.G = await s.conversation(member, 'g@example.com', otherAgentId);

    // A: answered by the AI, liked, scored 5, ended: resolved by the AI.
    await s.post(key, ids.A, 'Where is my order?');
    await api(t, 'POST', `/api/v1/conversations/${ids.A}/messages/${await s.assistantId(ids.A)}/feedback`, { rating: 'like' });
    await api(t, 'PATCH', `/api/v1/conversations/${ids.A}`, { score: 5 });
    for (const tag of ['billing', 'vip']) await api(t, 'POST', `/api/v1/conversations/${ids.A}/tags`, { tag });
    await api(t, 'POST', `/api/v1/conversations/${ids.A}/end`);
    await s.place(ids.A, { created: at(d1, '09:00:00'), ended: at(d1, '09:30:00'), feedback: at(d1, '09:05:00'),
      messages: [['user', at(d1, '09:00:00')], ['assistant', at(d1, '09:00:10')]] });

    // B: taken over (manual) and answered by an operator, with a note; scored 3, ended.
    await s.post(key, ids.B, 'I have a billing question');
    await api(t, 'POST', `/api/v1/conversations/${ids.B}/mode`, { mode: 'manual' }, member);
    await s.post(member, ids.B, 'Hi, Sam here.', 'operator');
    await s.post(member, ids.B, 'VIP customer', 'note');
    await api(t, 'PATCH', `/api/v1/conversations/${ids.B}`, { score: 3 });
    await api(t, 'POST', `/api/v1/conversations/${ids.B}/tags`, { tag: 'billing' });
    await api(t, 'POST', `/api/v1/conversations/${ids.B}/end`);
    await s.place(ids.B, { created: at(d1, '10:00:00'), ended: at(d1, '11:00:00'), modes: [at(d1, '10:01:00')],
      messages: [['user', at(d1, '10:00:00')], ['assistant', at(d1, '10:00:04')], ['operator', at(d1, '10:02:00')], ['note', at(d1, '10:03:00')]] });

    // C: an operator answers without a takeover; the AI's reply is disliked; still active.
    await s.post(key, ids.C, 'Hello');
    await api(t, 'POST', `/api/v1/conversations/${ids.C}/messages/${await s.assistantId(ids.C)}/feedback`, { rating: 'dislike' });
    await s.post(member, ids.C, 'Let me check.', 'operator');
    await s.place(ids.C, { created: at(d1, '12:00:00'), feedback: at(d1, '12:05:00'),
      messages: [['user', at(d1, '12:00:00')], ['assistant', at(d1, '12:00:06')], ['operator', at(d1, '12:01:00')]] });

    // D: no messages, ended by the idle timeout.
    await t.database.db.updateTable('conversations').set({ status: 'ended', end_reason: 'abandoned' }).where('id', '=', ids.D).execute();
    await s.place(ids.D, { created: at(d1, '13:00:00'), ended: at(d1, '13:20:00') });

    // E: handed to a human and back to the AI the first day, ended the next: not resolved by the AI.
    await s.post(key, ids.E, 'Question');
    await api(t, 'POST', `/api/v1/conversations/${ids.E}/mode`, { mode: 'manual' }, member);
    await api(t, 'POST', `/api/v1/conversations/${ids.E}/mode`, { mode: 'ai' }, member);
    await api(t, 'POST', `/api/v1/conversations/${ids.E}/end`);
    await s.place(ids.E, { created: at(d1, '14:00:00'), ended: at(d2, '08:00:00'), modes: [at(d1, '14:05:00'), at(d1, '14:10:00')],
      messages: [['user', at(d1, '14:00:00')], ['assistant', at(d1, '14:00:20')]] });

    // F (the next day): an operator answers after ten minutes.
    await s.post(key, ids.F, 'Anyone?');
    await s.post(member, ids.F, 'Yes!', 'operator');
    await s.place(ids.F, { created: at(d2, '09:00:00'),
      messages: [['user', at(d2, '09:00:00')], ['assistant', at(d2, '09:00:08')], ['operator', at(d2, '09:10:00')]] });

    // G: the other agent's conversation.
    await s.post(key, ids.G, 'Invoice?');
    await api(t, 'PATCH', `/api/v1/conversations/${ids.G}`, { score: 1 });
    await api(t, 'POST', `/api/v1/conversations/${ids.G}/tags`, { tag: 'billing' });
    await s.place(ids.G, { created: at(d2, '10:00:00'), messages: [['user', at(d2, '10:00:00')], ['assistant', at(d2, '10:00:30')]] });

    // Contacts' ratings (as the widget's CSAT stores them): A 5 and B 2 on d1, F 4 on d2.
    const rate = (id: string, rating: number, when: string) =>
      t.database.db.updateTable('conversations').set({ csat_rating: rating, csat_at: when }).where('id', '=', id).execute();
    await rate(ids.A, 5, at(d1, '09:40:00'));
    await rate(ids.B, 2, at(d1, '11:10:00'));
    await rate(ids.F, 4, at(d2, '09:20:00'));
    // Handoffs as recorded (POST …/handoff, the widget): B by an operator on d1, F by the visitor on d2.
    const handedOff = (id: string, source: string, when: string) =>
      t.database.db.updateTable('conversations').set({ handoff_source: source, handoff_at: when }).where('id', '=', id).execute();
    await handedOff(ids.B, 'operator', at(d1, '10:01:00'));
    await handedOff(ids.F, 'visitor', at(d2, '09:05:00'));

    // Another workspace's activity never shows.
    const other = await t.otherWorkspace();
    const theirs = await s.conversation(other.auth, 'x@example.com');
    await s.post(other.auth, theirs, 'Not yours');
  });
  afterAll(async () => t.close());

  it('counts every figure of the range in total', async () => {
    const res = await get();
    expect(res.status, res.text).toBe(200);
    const { totals, range, top_tags } = res.body.data;
    expect(range).toMatchObject({ timezone: 'UTC', days: 30, from: at(utcDate(-29), '00:00:00'), to: at(utcDate(1), '00:00:00') });
    expect(totals).toEqual({
      conversations: { started: 7, ended: 4, abandoned: 1, ai_resolved: 2, handoffs: 4, handoffs_by_source: { ...bySource, operator: 1, visitor: 1 } },
      messages: { user: 6, assistant: 6, operator: 3, note: 1 },
      // AI: 4, 6, 8, 10, 20, 30 s; human: 60, 120, 600 s.
      median_first_response_seconds: { ai: 9, human: 120 },
      // 1200, 1800, 3600, 64800 s.
      median_time_to_end_seconds: 2700,
      feedback: { likes: 1, dislikes: 1 },
      average_score: 3,
      scored_conversations: 3,
      csat: csatOf(3.67, [0, 1, 0, 1, 1]),
    });
    expect(top_tags).toEqual([{ tag: 'billing', count: 3 }, { tag: 'vip', count: 1 }]);
  });

  it('splits the figures into days, every day present', async () => {
    const { data } = (await get()).body;
    expect(data.series).toHaveLength(30);
    expect(data.series.map((d) => d.date)).toEqual(Array.from({ length: 30 }, (_, i) => utcDate(i - 29)));
    expect(dayOf(data, d1)).toEqual({
      date: d1,
      conversations: { started: 5, ended: 3, abandoned: 1, ai_resolved: 2, handoffs: 3, handoffs_by_source: { ...bySource, operator: 1 } },
      messages: { user: 4, assistant: 4, operator: 2, note: 1 },
      median_first_response_seconds: { ai: 8, human: 90 },
      median_time_to_end_seconds: 1800,
      feedback: { likes: 1, dislikes: 1 },
      average_score: 4,
      scored_conversations: 2,
      csat: csatOf(3.5, [0, 1, 0, 0, 1]),
    });
    expect(dayOf(data, d2)).toEqual({
      date: d2,
      conversations: { started: 2, ended: 1, abandoned: 0, ai_resolved: 0, handoffs: 1, handoffs_by_source: { ...bySource, visitor: 1 } },
      messages: { user: 2, assistant: 2, operator: 1, note: 0 },
      median_first_response_seconds: { ai: 19, human: 600 },
      median_time_to_end_seconds: 64800,
      feedback: { likes: 0, dislikes: 0 },
      average_score: 1,
      scored_conversations: 1,
      csat: csatOf(4, [0, 0, 0, 1, 0]),
    });
    expect(dayOf(data, utcDate(-5))).toEqual({ date: utcDate(-5), ...zero });
  });

  it('narrows every figure to one agent', async () => {
    const mine = (await get(`?agent_id=${t.workspace.agentId}`)).body.data;
    expect(mine.totals.conversations).toEqual({
      started: 6,
      ended: 4,
      abandoned: 1,
      ai_resolved: 2,
      handoffs: 4,
      handoffs_by_source: { ...bySource, operator: 1, visitor: 1 },
    });
    expect(mine.totals.messages).toEqual({ user: 5, assistant: 5, operator: 3, note: 1 });
    expect(mine.totals.median_first_response_seconds).toEqual({ ai: 8, human: 120 });
    expect(mine.totals.average_score).toBe(4);
    expect(mine.top_tags).toEqual([{ tag: 'billing', count: 2 }, { tag: 'vip', count: 1 }]);

    const theirs = (await get(`?agent_id=${otherAgentId}&days=7`)).body.data;
    expect(theirs.totals).toEqual({
      ...zero,
      conversations: { ...zero.conversations, started: 1 },
      messages: { ...zero.messages, user: 1, assistant: 1 },
      median_first_response_seconds: { ai: 30, human: null },
      average_score: 1,
      scored_conversations: 1,
    });
    expect(theirs.top_tags).toEqual([{ tag: 'billing', count: 1 }]);
  });

  it('lets any member or API key of the account read it', async () => {
    const agentMember = await loginAsAgentMember(t, admin);
    const byKey = await get();
    expect((await get('', admin.headers)).body).toEqual(byKey.body);
    expect((await get('', agentMember.headers)).body).toEqual(byKey.body);
    expect((await get('', {})).status).toBe(401);
  });

  it('refuses days outside 1–365 and malformed filters with 400, and unknown agents with 404', async () => {
    for (const q of ['?days=0', '?days=366', '?days=-1', '?days=abc', '?days=1.5', '?agent_id=nope', '?unknown=1']) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    expect(errorOf(await get('?days=0')).details).toHaveProperty('days');
    const unknown = await get('?agent_id=0190a000-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
    const other = await t.otherWorkspace();
    expect((await get(`?agent_id=${other.agentId}`)).status).toBe(404);
  });
});
