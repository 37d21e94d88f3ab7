import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, parseSse } from '../../../test/http.js';

type Exchange = { data: { user_message: { id: number; content: string }; assistant_message: { id: number; content: string } } };
type Many = { data: Array<{ id: number; role: string; content: string }> };

/** The real HTTP path to an LLM: Parley → AI SDK → a fake OpenAI-compatible server on loopback. */
describe.each(DIALECTS)('messages answered by an OpenAI-compatible LLM on %s', (dialect) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, {
      demo: true,
      llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'test-key', model: 'fake-model' },
    });
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'llm@example.com' });
    contactId = c.body.data.id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  const send = (id: string, content: string, stream = false) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content, stream }),
    });

  it("sends the agent's instructions, the retrieved passages and the history, and stores the model's reply", async () => {
    const id = await newConversation();
    fake.script({ chunks: ['You can return ', 'items within 30 days.'] });
    const first = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'What is your return policy?' });
    expect(first.status).toBe(201);
    expect(first.body.data.assistant_message.content).toBe('You can return items within 30 days.');

    fake.script({ chunks: ['Refunds take a few days.'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'And when do I get my money back?' });
    const req = fake.requests.at(-1)!.body;
    expect(req.model).toBe('fake-model');
    const system = String(req.messages[0].content);
    expect(req.messages[0].role).toBe('system');
    expect(system).toContain('Parley Demo Store');
    expect(system.toLowerCase()).toMatch(/refund|return/);
    const turns = req.messages.slice(1).map((m) => [m.role, typeof m.content === 'string' ? m.content : JSON.stringify(m.content)]);
    expect(turns.map(([role]) => role)).toEqual(['user', 'assistant', 'user']);
    expect(turns[0][1]).toContain('What is your return policy?');
    expect(turns[1][1]).toContain('You can return items within 30 days.');
    expect(turns[2][1]).toContain('And when do I get my money back?');
  });

  it('streams the model\'s chunks as stream.delta events and stores the same reply', async () => {
    const id = await newConversation();
    fake.script({ chunks: ['Ship', 'ping takes ', '3–5 business days.'], delayMs: 5 });
    const res = await send(id, 'How long is shipping?', true);
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(['message.created', 'stream.start']);
    expect(names.at(-1)).toBe('stream.end');
    // The marker stripper may hold a trailing space back until it knows no marker follows.
    const deltas = events.filter((e) => e.event === 'stream.delta').map((e) => String(e.data.delta));
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join('')).toBe('Shipping takes 3–5 business days.');
    expect(events.at(-1)!.data.content).toBe('Shipping takes 3–5 business days.');
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data.map((m) => m.content)).toEqual(['How long is shipping?', 'Shipping takes 3–5 business days.']);
  });

  it('keeps source markers out of the stored content', async () => {
    const id = await newConversation();
    fake.script({ chunks: ['Returns are free within 30 days', ' 【4:0†sou', 'rce】 [1].'] });
    const res = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Are returns free?' });
    expect(res.body.data.assistant_message.content).toBe('Returns are free within 30 days.');
  });

  it('answers 500 INTERNAL_ERROR when the provider fails, keeping the user message and no reply', async () => {
    const id = await newConversation();
    fake.script({ status: 500 });
    const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Is anyone there?' });
    expect(res.status).toBe(500);
    expect(errorOf(res).code).toBe('INTERNAL_ERROR');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data.map((m) => [m.role, m.content])).toEqual([['user', 'Is anyone there?']]);
    expect(errorOf(res).details).toEqual({ user_message_id: list.body.data[0].id });
  });

  it('ends a failing stream with an error event and stores nothing half-written', async () => {
    const id = await newConversation();
    fake.script({ chunks: ['Partial ', 'answer ', 'that never ', 'finishes'], cutAfter: 2 });
    const res = await send(id, 'Tell me everything', true);
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(['message.created', 'stream.start']);
    expect(names.at(-1)).toBe('error');
    expect(names).not.toContain('stream.end');
    expect(events.at(-1)!.data).toMatchObject({ code: 'INTERNAL_ERROR' });
    const list = await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data.map((m) => m.role)).toEqual(['user']);
    const rows = await t.database.db.selectFrom('messages').selectAll().where('conversation_id', '=', id).execute();
    const assistant = rows.find((r) => r.role === 'assistant')!;
    expect(assistant.status).toBe('failed');
    expect(assistant.content).toBe('');
  });

  it('recovers for the next message once the provider answers again', async () => {
    const id = await newConversation();
    fake.script({ status: 503 });
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'first' })).status).toBe(500);
    fake.script({ chunks: ['Back again.'] });
    const ok = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'second' });
    expect(ok.status).toBe(201);
    expect(ok.body.data.assistant_message.content).toBe('Back again.');
  });
});
