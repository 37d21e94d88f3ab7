import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, sleep, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, parseSse } from '../../../test/http.js';

interface Message {
  id: number;
  role: string;
  content: string;
  created_at: string;
}
type Exchange = { data: { user_message: Message; assistant_message: Message } };
type Many = { data: Message[]; pagination: { cursor: string | null; has_more: boolean } };

describe.each(DIALECTS)('messages with the built-in responder on %s', (dialect) => {
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'msg@example.com' });
    contactId = c.body.data.id;
  });
  afterAll(async () => t.close());

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;

  it("answers a message synchronously with 201, both messages carrying seed 000's fields", async () => {
    const id = await newConversation();
    const res = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, {
      content: 'What is your return policy?',
    });
    expect(res.status).toBe(201);
    const { user_message: u, assistant_message: a } = res.body.data;
    const keys = ['attachments', 'author', 'author_id', 'content', 'context', 'conversation_id', 'created_at', 'delivery', 'error', 'feedback', 'id', 'modality', 'role', 'status'];
    expect(Object.keys(u).sort()).toEqual(keys);
    expect(Object.keys(a).sort()).toEqual(keys);
    expect(a).toMatchObject({ modality: 'text', author_id: null, status: 'completed', feedback: null, conversation_id: id });
    expect(u).toMatchObject({ role: 'user', content: 'What is your return policy?' });
    expect(a.role).toBe('assistant');
    expect(a.id).toBeGreaterThan(u.id);
    expect(a.content.length).toBeGreaterThan(20);
    expect(a.content.toLowerCase()).toMatch(/return/);
  });

  it('lists user and assistant messages oldest first, paging with a cursor', async () => {
    const id = await newConversation();
    for (const q of ['How long does shipping take?', 'Can I pay with PayPal?']) {
      await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: q });
    }
    const all = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(all.body.data.map((m) => m.id)).toEqual([...all.body.data.map((m) => m.id)].sort((x, y) => x - y));
    expect(all.body.pagination).toEqual({ cursor: null, has_more: false });

    const first = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=3`);
    expect(first.body.data).toHaveLength(3);
    expect(first.body.pagination.has_more).toBe(true);
    const rest = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=3&cursor=${first.body.pagination.cursor}`);
    expect([...first.body.data, ...rest.body.data]).toEqual(all.body.data);
    expect(rest.body.pagination).toEqual({ cursor: null, has_more: false });
  });

  it('streams the reply as message.created, stream.start, stream.delta… and stream.end, storing the same message', async () => {
    const id = await newConversation();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'How long does shipping take?', stream: true }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message.created');
    expect(names[1]).toBe('stream.start');
    expect(names.at(-1)).toBe('stream.end');
    const deltas = events.filter((e) => e.event === 'stream.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(names.slice(2, -1).every((n) => n === 'stream.delta')).toBe(true);

    const created = events[0].data;
    for (const key of ['content', 'created_at', 'id', 'role']) expect(created).toHaveProperty(key);
    expect(created).toMatchObject({ role: 'user', content: 'How long does shipping take?' });
    expect(events[1].data).toEqual({ message_id: expect.any(Number), role: 'assistant' });
    const end = events.at(-1)!.data;
    expect(Object.keys(end).sort()).toEqual(['content', 'created_at', 'message_id']);
    expect(end.message_id).toBe(events[1].data.message_id);
    expect(end.content).toBe(deltas.map((d) => d.data.delta).join(''));

    const stored = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(stored.body.data[0]).toEqual(created);
    expect(stored.body.data[1]).toMatchObject({ id: end.message_id, role: 'assistant', content: end.content, created_at: end.created_at });
    expect(stored.body.data).toHaveLength(2);
  });

  it('refuses a blank or missing content with 400 and stores nothing', async () => {
    const id = await newConversation();
    for (const body of [{ content: '' }, { content: '   \n\t' }, {}, { content: 42 }, { content: 'hi', stream: 'yes' }]) {
      const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    const blankStream = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: ' ', stream: true });
    expect(blankStream.status).toBe(400);
    expect(blankStream.headers['content-type']).toMatch(/application\/json/);
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data).toEqual([]);
  });

  it('refuses messages to an ended conversation with 422, streamed or not', async () => {
    const id = await newConversation();
    await api(t, 'POST', `/api/v1/conversations/${id}/end`);
    const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
    const streamed = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?', stream: true });
    expect(streamed.status).toBe(422);
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data).toEqual([]);
  });

  it('refuses every message committed after an end that races with it, and announces none after the end', async () => {
    type Ev = { id: number; type: string; data: { message?: { role: string }; conversation: { id: string; status: string } } };
    const events = async () => {
      const out: Ev[] = [];
      let after = 0;
      for (;;) {
        const page = await api<{ data: Ev[] }>(t, 'GET', `/api/v1/events?after=${after}&limit=100&type=message.created,conversation.ended`);
        out.push(...page.body.data);
        if (page.body.data.length < 100) return out;
        after = page.body.data.at(-1)!.id;
      }
    };
    for (let round = 0; round < 6; round++) {
      const id = await newConversation();
      const send = (content: string, stream = false) =>
        api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content, ...(stream ? { stream } : {}) });
      // Sent together, the end a little later each round, so that it commits among the messages.
      const results = await Promise.all([
        send('Where is my order?'),
        send('How long does shipping take?', true),
        sleep(round).then(() => api(t, 'POST', `/api/v1/conversations/${id}/end`)),
        send('Can I pay with PayPal?'),
        send('Do you ship abroad?', true),
        send('What is your return policy?'),
      ]);
      expect(results[2].status).toBe(200);
      const posts = results.filter((_, i) => i !== 2);
      for (const r of posts) {
        expect([200, 201, 422]).toContain(r.status);
        if (r.status === 422) expect(errorOf(r).message).toBe('Conversation has ended');
      }
      const mine = (await events()).filter((e) => e.data.conversation.id === id);
      const end = mine.findIndex((e) => e.type === 'conversation.ended');
      expect(end).toBeGreaterThanOrEqual(0);
      // The contact's messages: each accepted one was stored and announced before the end, none after.
      const userEvents = mine.filter((e) => e.type === 'message.created' && e.data.message!.role === 'user');
      expect(userEvents.every((e) => e.id < mine[end].id && e.data.conversation.status === 'active')).toBe(true);
      expect(userEvents).toHaveLength(posts.filter((r) => r.status !== 422).length);
      const stored = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`);
      expect(stored.body.data.filter((m) => m.role === 'user')).toHaveLength(userEvents.length);
    }
  });

  it('404s for messages of unknown conversations and of other accounts', async () => {
    const id = await newConversation();
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hi there' });
    const other = await t.otherWorkspace();
    expect((await api(t, 'GET', `/api/v1/conversations/${id}/messages`, undefined, other.auth)).status).toBe(404);
    const post = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'sneaky' }, other.auth);
    expect(post.status).toBe(404);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api(t, 'GET', `/api/v1/conversations/${unknown}/messages`)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/conversations/${unknown}/messages`, { content: 'x' })).status).toBe(404);
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data.map((m) => m.content)).not.toContain('sneaky');
  });

  it('answers 404, not a failed reply, when the conversation is deleted just as a streamed reply starts', async () => {
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'gone-soon@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    const principal = { kind: 'api_key' as const, accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'x' };
    // The user message is stored (what the stream route does before its first event), then the
    // contact's conversations are deleted before the reply's streaming row is written.
    const posted = await t.services.messages.postMessage(principal, conv.body.data.id, { content: 'Hello?' });
    expect((await api(t, 'DELETE', `/api/v1/contacts/${c.body.data.id}/conversations`)).status).toBe(204);
    const started: number[] = [];
    const failure = await t.services.messages
      .generateReply(posted, { onStart: (m) => started.push(m.id), onDelta: () => {} })
      .then(() => null, (err: unknown) => err);
    expect(failure).toMatchObject({ code: 'NOT_FOUND', message: 'Conversation not found' });
    expect(started).toEqual([]);
  });

  it('refuses messages when the agent is inactive with 422', async () => {
    const id = await newConversation();
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { status: 'inactive' });
    try {
      const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Anyone there?' });
      expect(res.status).toBe(422);
    } finally {
      await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { status: 'active' });
    }
  });

  it('counts activity on the conversation: updated_at moves with each message', async () => {
    const id = await newConversation();
    const before = await api<{ data: { updated_at: string } }>(t, 'GET', `/api/v1/conversations/${id}`);
    await new Promise((r) => setTimeout(r, 5));
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Do you ship abroad?' });
    const after = await api<{ data: { updated_at: string } }>(t, 'GET', `/api/v1/conversations/${id}`);
    expect(after.body.data.updated_at > before.body.data.updated_at).toBe(true);
  });
});
