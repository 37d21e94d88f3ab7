import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { openSse, type SseEvent } from '../../../test/sse-client.js';

/**
 * The inbox shows an AI reply while it is written: the event stream forwards in-process
 * reply.delta / reply.finished notices to members. SQLite only: the notices never touch storage.
 */
describe('replies being written, on the event stream', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let admin: TestSession;
  let baseUrl: string;
  let contactId: number;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp('sqlite', { llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'k', model: 'fake-model' } });
    admin = await login(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'live@example.com' })).body.data.id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;

  /** Reads events until `done` says stop, failing after a few seconds. */
  async function collect(stream: Awaited<ReturnType<typeof openSse>>, done: (e: SseEvent) => boolean): Promise<SseEvent[]> {
    const seen: SseEvent[] = [];
    for (;;) {
      const e = await stream.next(5000);
      seen.push(e);
      if (done(e)) return seen;
    }
  }

  it('sends a member the text written so far, before the stored reply is announced by message.created', async () => {
    const id = await newConversation();
    const stream = await openSse(`${baseUrl}/api/v1/events/stream`, { cookie: admin.cookie });
    fake.script({ chunks: ['Parcels ', 'leave ', 'within two days.'], delayMs: 30 });
    const sent = api<{ data: { assistant_message: { id: number } } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, {
      content: 'When will it ship?',
    });
    const events = await collect(stream, (e) => e.event === 'message.created' && (e.data.data as { message: { role: string } }).message.role === 'assistant');
    stream.close();
    expect((await sent).status).toBe(201);

    const deltas = events.filter((e) => e.event === 'reply.delta');
    // Each notice carries the whole text so far (the provider may hold back trailing spaces).
    const texts = deltas.map((e) => String(e.data.content));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.at(-1)).toBe('Parcels leave within two days.');
    texts.slice(1).forEach((text, i) => expect(text.startsWith(texts[i])).toBe(true));
    expect(deltas.every((e) => e.data.conversation_id === id && e.id === undefined)).toBe(true);
    const order = events.map((e) => e.event);
    expect(order.indexOf('reply.delta')).toBeLessThan(order.lastIndexOf('message.created'));
    expect(events.find((e) => e.event === 'reply.finished')?.data).toMatchObject({ conversation_id: id, status: 'completed' });
  });

  it('names the streaming message and tells when a reply failed', async () => {
    const id = await newConversation();
    const stream = await openSse(`${baseUrl}/api/v1/events/stream?type=reply.delta,reply.finished`, { cookie: admin.cookie });
    fake.script({ chunks: ['Half ', 'a reply'], cutAfter: 1 });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'Tell me everything', stream: true }),
    });
    expect(res.statusCode).toBe(200);
    const events = await collect(stream, (e) => e.event === 'reply.finished');
    stream.close();
    const finished = events.at(-1)!;
    expect(finished.data).toMatchObject({ conversation_id: id, status: 'failed' });
    expect(typeof finished.data.message_id).toBe('number');
    fake.script({ chunks: ['ok'] });
  });

  it('sends nothing of the kind to an API key’s stream, which only carries the stored log', async () => {
    const id = await newConversation();
    const stream = await openSse(`${baseUrl}/api/v1/events/stream`, t.auth);
    fake.script({ chunks: ['One ', 'two.'], delayMs: 10 });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Count' });
    const events = await collect(stream, (e) => e.event === 'message.created' && (e.data.data as { message: { role: string } }).message.role === 'assistant');
    stream.close();
    expect(events.some((e) => e.event.startsWith('reply.'))).toBe(false);
  });
});
