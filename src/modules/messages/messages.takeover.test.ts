import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { createTestApp, DIALECTS, sleep, type TestApp } from '../../../test/helpers.js';
import { api, parseSse } from '../../../test/http.js';
import { TAKEN_OVER } from './messages.presenters.js';

type Message = { id: number; role: string; content: string; status: string; error: string | null };
type Exchange = { data: { user_message: Message; assistant_message: Message | null } };

/**
 * An operator takes a conversation over while the AI is still writing its reply (a slow model on
 * a real loopback server): from the switch on, the AI says nothing more in that conversation.
 */
describe.each(DIALECTS)('an operator taking over while a reply is written, on %s', (dialect) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, {
      demo: true,
      llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'test-key', model: 'fake-model' },
    });
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'takeover@example.com' })).body.data.id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  /** Waits until the model has been asked (the reply is under way), then switches to manual. */
  const takeOverOnceAsked = async (id: string, asked: number) => {
    for (let i = 0; i < 200 && fake.requests.length <= asked; i++) await sleep(5);
    expect(fake.requests.length).toBe(asked + 1);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' })).status).toBe(200);
  };
  const rowsOf = (id: string) =>
    t.database.db.selectFrom('messages').select(['id', 'role', 'status', 'content', 'error']).where('conversation_id', '=', id).orderBy('id').execute();
  const assistantAnnounced = async (id: string) => {
    const events = await t.database.db
      .selectFrom('events')
      .select('data')
      .where('account_id', '=', t.workspace.accountId)
      .where('type', '=', 'message.created')
      .execute();
    return events
      .map((e) => JSON.parse(e.data) as { message: { role: string; conversation_id: string } })
      .filter((e) => e.message.conversation_id === id && e.message.role === 'assistant');
  };
  const slowReply = { chunks: ['Let me ', 'look that ', 'up for you.'], delayMs: 150 };

  it('a synchronous reply is dropped: 201 with assistant_message null, nothing stored or announced', async () => {
    const id = await newConversation();
    fake.script(slowReply);
    const asked = fake.requests.length;
    const sent = api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Where is my parcel?' });
    await takeOverOnceAsked(id, asked);
    const res = await sent;
    expect(res.status).toBe(201);
    expect(res.body.data.user_message.content).toBe('Where is my parcel?');
    expect(res.body.data.assistant_message).toBeNull();
    expect((await rowsOf(id)).map((r) => r.role)).toEqual(['user']);
    expect(await assistantAnnounced(id)).toEqual([]);

    // Handed back, the AI answers again.
    fake.script({ chunks: ['Back with you.'] });
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'ai' });
    const again = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' });
    expect(again.body.data.assistant_message?.content).toBe('Back with you.');
  });

  it('a streamed reply ends with a CONFLICT error event; its row is failed with the reason, never listed', async () => {
    const id = await newConversation();
    fake.script(slowReply);
    const asked = fake.requests.length;
    const sent = t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'Can I change my address?', stream: true }),
    });
    await takeOverOnceAsked(id, asked);
    const events = parseSse((await sent).body);
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(['message.created', 'stream.start']);
    expect(names).not.toContain('stream.end');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'CONFLICT', message: TAKEN_OVER } });

    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.role, r.status, r.content])).toEqual([
      ['user', 'completed', 'Can I change my address?'],
      ['assistant', 'failed', ''],
    ]);
    const listed = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(listed.body.data.map((m) => m.role)).toEqual(['user']);
    const one = await api<{ data: Message }>(t, 'GET', `/api/v1/conversations/${id}/messages/${rows[1].id}`);
    expect(one.body.data).toMatchObject({ status: 'failed', error: TAKEN_OVER });
    expect(await assistantAnnounced(id)).toEqual([]);
  });

  it('an async reply being written ends failed with the reason the poller reads', async () => {
    const id = await newConversation();
    fake.script(slowReply);
    const asked = fake.requests.length;
    const res = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Is it in stock?', async: true });
    expect(res.status).toBe(202);
    const pending = res.body.data.assistant_message!;
    await takeOverOnceAsked(id, asked);
    const url = `/api/v1/conversations/${id}/messages/${pending.id}`;
    let polled = await api<{ data: Message }>(t, 'GET', url);
    for (let i = 0; i < 100 && polled.body.data.status === 'pending'; i++) {
      await sleep(20);
      polled = await api(t, 'GET', url);
    }
    expect(polled.body.data).toMatchObject({ status: 'failed', content: '', error: TAKEN_OVER });
    expect(await assistantAnnounced(id)).toEqual([]);
  });

  it('an async reply no worker has started yet is dropped without asking the model', async () => {
    const id = await newConversation();
    // Stored as the route stores it, with no worker started (as if the process had died after the 202).
    const posted = await t.services.messages.postMessage(
      { kind: 'api_key', accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'x' },
      id,
      { content: 'Do you ship to Norway?', async: true },
    );
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' });
    const asked = fake.requests.length;
    expect(await t.services.replies.processPending()).toBe(0);
    expect(fake.requests.length).toBe(asked);
    const row = (await rowsOf(id)).find((r) => r.id === posted.pendingReply!.id)!;
    expect(row).toMatchObject({ status: 'failed', error: TAKEN_OVER });
  });
});
