import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { openSse } from '../../../test/sse-client.js';

interface Event {
  id: number;
  type: string;
  created_at: string;
  data: Record<string, { id?: unknown; [k: string]: unknown }> & { keyword?: string };
}
type Page = { data: Event[]; pagination: { cursor: string | null; has_more: boolean } };

describe.each(DIALECTS)('the event log on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => t.close());

  const eventsAfter = async (after: number, type?: string) =>
    (await api<Page>(t, 'GET', `/api/v1/events?after=${after}&limit=100${type ? `&type=${type}` : ''}`)).body.data;
  const lastId = async () => {
    const all = await api<Page>(t, 'GET', '/api/v1/events?after=0&limit=100');
    let page = all.body;
    let last = page.data.at(-1)?.id ?? 0;
    while (page.pagination.has_more) {
      page = (await api<Page>(t, 'GET', `/api/v1/events?cursor=${page.pagination.cursor}&limit=100`)).body;
      last = page.data.at(-1)?.id ?? last;
    }
    return last;
  };

  it('appends an event for every state change, carrying the objects as the API presents them', async () => {
    const start = await lastId();
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'ev@example.com' });
    await api(t, 'PATCH', `/api/v1/contacts/${contact.body.data.id}`, { name: 'Eve' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const id = conv.body.data.id;
    const exchange = await api<{ data: { user_message: { id: number }; assistant_message: { id: number } } }>(
      t,
      'POST',
      `/api/v1/conversations/${id}/messages`,
      { content: 'How long does shipping take?' },
    );
    await api(t, 'POST', `/api/v1/conversations/${id}/messages/${exchange.body.data.assistant_message.id}/feedback`, { rating: 'like' });
    await api(t, 'PATCH', `/api/v1/conversations/${id}`, { priority: 'high' });
    await api(t, 'POST', `/api/v1/conversations/${id}/assign`, { member_id: admin.member.id });
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' });
    await api(t, 'POST', `/api/v1/conversations/${id}/end`);

    const events = await eventsAfter(start);
    expect(events.map((e) => e.type)).toEqual([
      'contact.created',
      'contact.updated',
      'conversation.created',
      'message.created',
      'message.created',
      'message.feedback',
      'conversation.updated',
      'conversation.assigned',
      'conversation.mode_changed',
      'conversation.ended',
    ]);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events[1].data.contact).toMatchObject({ id: contact.body.data.id, name: 'Eve' });
    expect(events[3].data.message).toMatchObject({ id: exchange.body.data.user_message.id, role: 'user' });
    expect(events[3].data.conversation).toMatchObject({ id, status: 'active' });
    expect(events[4].data.message).toMatchObject({ id: exchange.body.data.assistant_message.id, role: 'assistant', status: 'completed' });
    expect(events[5].data.message).toMatchObject({ feedback: { rating: 'like' } });
    expect(events[6].data.conversation).toMatchObject({ priority: 'high' });
    expect(events[7].data.conversation).toMatchObject({ assignee_id: admin.member.id });
    expect(events[8].data.conversation).toMatchObject({ mode: 'manual' });
    expect(events[9].data.conversation).toMatchObject({ status: 'ended', end_reason: 'ended' });
    for (const e of events) expect(e.created_at).toMatch(/Z$/);
  });

  it('appends nothing for a refused or unchanged request', async () => {
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'same@ev.example', name: 'Same' });
    await api(t, 'POST', '/api/v1/contacts', { email: 'taken@ev.example' });
    const start = await lastId();
    await api(t, 'POST', '/api/v1/contacts', { email: 'same@ev.example', name: 'Same' });
    await api(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { email: 'taken@ev.example' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    const after = await lastId();
    await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/end`);
    await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/end`);
    await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/messages`, { content: 'late' });
    expect((await eventsAfter(start)).map((e) => e.type)).toEqual(['conversation.created', 'conversation.ended']);
    expect((await eventsAfter(after)).map((e) => e.type)).toEqual(['conversation.ended']);
  });

  it('emits keyword.detected for the agent’s keywords, on word boundaries and case-insensitively', async () => {
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { keywords: ['refund', 'speak to a human', 'C++'] });
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'kw@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    const start = await lastId();
    for (const content of ['I want a REFUND now', 'refunds are slow', 'Can I   speak to a human?', 'I code in c++ daily']) {
      await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/messages`, { content, role: 'note' }, admin.headers);
      await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/messages`, { content });
    }
    const detected = await eventsAfter(start, 'keyword.detected');
    expect(detected.map((e) => e.data.keyword)).toEqual(['refund', 'speak to a human', 'C++']);
    expect(detected[0].data.message).toMatchObject({ role: 'user', content: 'I want a REFUND now' });
    expect(detected[0].data.conversation).toMatchObject({ id: conv.body.data.id });
    const agent = await api<{ data: { keywords: string[] } }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    expect(agent.body.data.keywords).toEqual(['refund', 'speak to a human', 'C++']);
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { keywords: [] });
  });

  it('pages events with after, cursor and type filters, and keeps accounts apart', async () => {
    const start = await lastId();
    for (let i = 0; i < 5; i++) await api(t, 'POST', '/api/v1/contacts', { name: `Guest ${i}` });
    const first = await api<Page>(t, 'GET', `/api/v1/events?after=${start}&limit=2`);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.pagination.has_more).toBe(true);
    const second = await api<Page>(t, 'GET', `/api/v1/events?cursor=${first.body.pagination.cursor}&limit=10`);
    expect(second.body.data).toHaveLength(3);
    expect(second.body.pagination).toEqual({ cursor: null, has_more: false });
    // Nothing new yet: an empty last page, still no cursor; polling goes on with `after`.
    const caughtUp = await api<Page>(t, 'GET', `/api/v1/events?after=${second.body.data.at(-1)!.id}`);
    expect(caughtUp.body).toEqual({ data: [], pagination: { cursor: null, has_more: false } });
    expect((await eventsAfter(start, 'contact.created,contact.updated')).length).toBe(5);
    expect(await eventsAfter(start, 'conversation.created')).toEqual([]);
    const other = await t.otherWorkspace();
    const theirs = await api<Page>(t, 'GET', `/api/v1/events?after=0&limit=100`, undefined, other.auth);
    expect(theirs.body.data).toEqual([]);
    expect((await api(t, 'GET', '/api/v1/events?type=DROP TABLE')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/events?after=-1')).status).toBe(400);
  });

  it('streams events over SSE with ids, resuming after Last-Event-ID with no gap and no duplicate', async () => {
    const agentMember = await loginAsAgentMember(t, admin);
    expect((await openSse(`${baseUrl}/api/v1/events/stream`, {})).status).toBe(401);
    const stream = await openSse(`${baseUrl}/api/v1/events/stream`, t.auth);
    expect(stream.status).toBe(200);
    await api(t, 'POST', '/api/v1/contacts', { name: 'Streamed 1' });
    const first = await stream.next();
    expect(first.event).toBe('contact.created');
    expect(first.data).toMatchObject({ type: 'contact.created', data: { contact: { name: 'Streamed 1' } } });
    expect(Number(first.id)).toBe(first.data.id);
    stream.close();

    // Events that happen while the client is away arrive on reconnection, in order, once.
    for (let i = 2; i <= 4; i++) await api(t, 'POST', '/api/v1/contacts', { name: `Streamed ${i}` });
    const resumed = await openSse(`${baseUrl}/api/v1/events/stream`, { ...agentMember.headers, 'last-event-id': String(first.id) });
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push(String(((await resumed.next()).data.data as { contact: { name: string } }).contact.name));
    expect(names).toEqual(['Streamed 2', 'Streamed 3', 'Streamed 4']);
    await api(t, 'POST', '/api/v1/contacts', { name: 'Streamed 5' });
    const live = await resumed.next();
    expect((live.data.data as { contact: { name: string } }).contact.name).toBe('Streamed 5');
    await expect(resumed.next(300)).rejects.toThrow();
    resumed.close();
    expect((await openSse(`${baseUrl}/api/v1/events/stream`, { ...t.auth, 'last-event-id': 'abc' })).status).toBe(400);
  });

  it('keeps every event through concurrent writers: a follower sees each exactly once, in id order', async () => {
    const stream = await openSse(`${baseUrl}/api/v1/events/stream?type=contact.created`, t.auth);
    await Promise.all(Array.from({ length: 30 }, (_, i) => api(t, 'POST', '/api/v1/contacts', { name: `Burst ${i}` })));
    const got: number[] = [];
    while (got.length < 30) got.push(Number((await stream.next()).id));
    stream.close();
    expect(new Set(got).size).toBe(30);
    expect(got).toEqual([...got].sort((a, b) => a - b));
  });

  it('answers an async message with 202 and a pending reply that completes, announced by message.created', async () => {
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'async@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    const start = await lastId();
    const res = await api<{ data: { user_message: { id: number }; assistant_message: { id: number; status: string } } }>(
      t,
      'POST',
      `/api/v1/conversations/${conv.body.data.id}/messages`,
      { content: 'What is your return policy?', async: true },
    );
    expect(res.status).toBe(202);
    expect(res.body.data.assistant_message.status).toBe('pending');
    const url = `/api/v1/conversations/${conv.body.data.id}/messages/${res.body.data.assistant_message.id}`;
    let reply = await api<{ data: { status: string; content: string } }>(t, 'GET', url);
    for (let i = 0; i < 50 && reply.body.data.status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      reply = await api(t, 'GET', url);
    }
    expect(reply.body.data.status).toBe('completed');
    expect(reply.body.data.content.toLowerCase()).toContain('return');
    const created = await eventsAfter(start, 'message.created');
    expect(created.map((e) => (e.data.message as { id: number }).id)).toEqual([
      res.body.data.user_message.id,
      res.body.data.assistant_message.id,
    ]);
  });

  it('resumes pending replies after a restart, producing each once', async () => {
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'restart@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    // As if the process died right after answering 202: the pending reply is stored, nobody works on it.
    const posted = await t.services.messages.postMessage(
      { kind: 'api_key', accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'x' },
      conv.body.data.id,
      { content: 'Do you ship abroad?', async: true },
    );
    const pendingId = posted.pendingReply!.id;
    // A worker that had claimed it and died: its lease has run out.
    await t.database.db.updateTable('messages').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', pendingId).execute();
    const [a, b] = await Promise.all([t.services.replies.processPending(), t.services.replies.processPending()]);
    expect(a + b).toBe(1);
    const row = await t.database.db.selectFrom('messages').selectAll().where('id', '=', pendingId).executeTakeFirstOrThrow();
    expect(row.status).toBe('completed');
    const announced = await t.database.db
      .selectFrom('events')
      .select('data')
      .where('account_id', '=', t.workspace.accountId)
      .where('type', '=', 'message.created')
      .execute();
    expect(announced.filter((e) => (JSON.parse(e.data) as { message: { id: number } }).message.id === pendingId)).toHaveLength(1);
  });
});
