import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, parseSse } from '../../../test/http.js';

interface Message {
  role: string;
  content: string;
}

/** Issue 15: with an LLM, the model hands over by calling handoff_to_human, streamed like any reply. */
describe.each(DIALECTS)('an LLM handing over to a person on %s', (dialect) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, {
      demo: true,
      llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'test-key', model: 'fake-model' },
    });
    admin = await login(t);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /** Waits (up to 5 s) for `read` to give something. */
  async function eventually<T>(read: () => Promise<T | null | undefined>): Promise<T> {
    for (let i = 0; i < 250; i++) {
      const value = await read();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('not in time');
  }

  async function conversation(): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
  }
  const view = async (id: string) =>
    (await api<{ data: { mode: string; handoff: { source: string; reason: string } | null } }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;
  const messagesOf = async (id: string) =>
    (await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`, undefined, admin.headers)).body.data;

  it('offers the model the tool, streams its words, then hands over with its reason', async () => {
    const id = await conversation();
    fake.script({ chunks: ['Let me get ', 'a colleague for you.'], toolCall: { name: 'handoff_to_human', arguments: { reason: 'Refund over the limit' } } });
    const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'I want a refund of 900 euros', stream: true });
    const events = parseSse(res.text);
    expect(events.at(-1)!.event).toBe('stream.end');
    expect(events.at(-1)!.data.content).toBe('Let me get a colleague for you.');
    // The reply's request (the model's title and note are written in requests of their own).
    const body = fake.requests.filter((r) => r.body.stream).at(-1)!.body as { tools?: Array<{ function: { name: string } }> };
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(['handoff_to_human']);
    // The model writes the team's note, so the handoff completes just after the reply's answer.
    await eventually(async () => (await view(id)).handoff);
    expect(await view(id)).toMatchObject({ mode: 'manual', handoff: { source: 'ai', reason: 'Refund over the limit' } });
    const all = await messagesOf(id);
    expect(all.map((m) => m.role)).toEqual(['user', 'assistant', 'note', 'assistant']);
    expect(all[2].content).toContain('Handed over by the AI agent: Refund over the limit');
    expect(all[3].content).toContain('member of our team');
  });

  it('still says a word when the model only calls the tool', async () => {
    const id = await conversation();
    fake.script({ chunks: [], toolCall: { name: 'handoff_to_human', arguments: { reason: 'Asked for a manager' } } });
    const res = await api<{ data: { assistant_message: Message } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Get me your manager' });
    expect(res.status).toBe(201);
    expect(res.body.data.assistant_message.content).toContain('member of our team');
    await eventually(async () => (await view(id)).handoff);
    expect((await view(id)).handoff).toMatchObject({ source: 'ai', reason: 'Asked for a manager' });
  });

  it('answers as before when the model calls no tool', async () => {
    const id = await conversation();
    fake.script({ chunks: ['Shipping takes three days.'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'How long is shipping?' });
    expect(await view(id)).toMatchObject({ mode: 'ai', handoff: null });
  });

  it('passes a message’s context to the model for that reply, shows it to the team, never to the contact', async () => {
    const id = await conversation();
    fake.script({ chunks: ['Your order 1234 ships tomorrow.'] });
    const res = await api<{ data: { user_message: { id: number; context: string | null } } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, {
      content: 'When does my order ship?',
      context: 'Order 1234: paid, ships 2026-12-07',
    });
    expect(res.body.data.user_message.context).toBe('Order 1234: paid, ships 2026-12-07');
    const sent = fake.requests.filter((r) => r.body.stream).at(-1)!.body.messages as Array<{ role: string; content: unknown }>;
    expect(JSON.stringify(sent.filter((m) => m.role === 'system'))).toContain('Order 1234: paid, ships 2026-12-07');
    fake.script({ chunks: ['Anything else?'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Thanks' });
    expect(JSON.stringify(fake.requests.filter((r) => r.body.stream).at(-1)!.body.messages)).not.toContain('Order 1234');
    const seen = await api<{ data: Array<{ context: string | null }> }>(t, 'GET', `/api/v1/conversations/${id}/messages`, undefined, admin.headers);
    expect(seen.body.data[0].context).toBe('Order 1234: paid, ships 2026-12-07');
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'x', context: 'y'.repeat(4001) })).status).toBe(400);
  });

  it('has the model title a new conversation, sum it up at the end and write the handoff note', async () => {
    const id = await conversation();
    fake.script({ chunks: ['It takes three days to Norway.'] }, { chunks: ['“Shipping to Norway”'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'How long does shipping to Norway take, roughly?' });
    let title = '';
    for (let i = 0; i < 100 && title !== 'Shipping to Norway'; i++) {
      title = (await api<{ data: { title: string } }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data.title;
      if (title !== 'Shipping to Norway') await new Promise((r) => setTimeout(r, 20));
    }
    expect(title).toBe('Shipping to Norway');
    const asked = fake.requests.at(-1)!.body;
    expect(asked.stream ?? false).toBe(false);
    expect(JSON.stringify(asked.messages)).toContain('six words');

    fake.script({ chunks: ['- Wants delivery times to Norway\n- Answered: three days'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/handoff`, { reason: 'Wants a quote' }, admin.headers);
    const note = (await messagesOf(id)).find((m) => m.role === 'note')!;
    expect(note.content).toBe('Handed over by a member of the team: Wants a quote\n\n- Wants delivery times to Norway\n- Answered: three days');

    fake.script({ chunks: ['The customer asked about delivery to Norway; the AI answered and a colleague took over.'] });
    const ended = await api<{ data: { summary: string } }>(t, 'POST', `/api/v1/conversations/${id}/end`);
    expect(ended.body.data.summary).toBe('The customer asked about delivery to Norway; the AI answered and a colleague took over.');

    // When the model fails, the extractive texts stand in.
    const other = await conversation();
    fake.script({ chunks: ['Sure.'] }, { status: 500 });
    await api(t, 'POST', `/api/v1/conversations/${other}/messages`, { content: 'Do you ship to Iceland?' });
    const endedToo = await api<{ data: { summary: string } }>(t, 'POST', `/api/v1/conversations/${other}/end`);
    expect(endedToo.body.data.summary).toMatch(/^The customer asked “Do you ship to Iceland\?”/);
  });
});
