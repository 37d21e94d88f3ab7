import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, parseSse } from '../../../test/http.js';

interface Conversation {
  id: string;
  status: string;
  mode: string;
}
interface Message {
  id: number;
  role: string;
  content: string;
  author: { type: string; name: string | null };
  sources: Array<{ title: string; url: string | null }>;
  feedback: { rating: string } | null;
}

describe.each(DIALECTS)('a widget visitor’s conversations on %s', (dialect) => {
  let t: TestApp;
  let channel: { id: string; public_key: string };
  let formChannel: { id: string; public_key: string };
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    const create = async (config: Record<string, unknown>) =>
      (await api<{ data: { id: string; public_key: string } }>(t, 'POST', '/api/v1/channels', { name: 'Widget', type: 'web_widget', config })).body.data;
    channel = await create({});
    formChannel = await create({
      pre_chat: { enabled: true, require_email: true, fields: [{ name: 'topic', label: 'Topic', type: 'select', options: ['Billing', 'Orders'], required: true }] },
    });
  });
  afterAll(async () => t.close());

  /** A new visitor of `key`: its bearer header and contact id. */
  async function visitor(key = channel.public_key) {
    const res = await api<{ data: { visitor_token: string; contact: { id: number } } }>(t, 'POST', '/api/v1/widget/sessions', { public_key: key }, {});
    expect(res.status).toBe(201);
    return { auth: { authorization: `Bearer ${res.body.data.visitor_token}` }, contactId: res.body.data.contact.id };
  }
  const startConversation = async (v: { auth: Record<string, string> }, body: Record<string, unknown> = {}) =>
    api<{ data: Conversation }>(t, 'POST', '/api/v1/widget/conversations', body, v.auth);

  it('shows a visitor only its own conversations: another visitor’s, or one of another channel, is 404', async () => {
    const alice = await visitor();
    const bob = await visitor();
    const aliceConv = (await startConversation(alice)).body.data;
    // A conversation of Bob's contact started by the business, not on this widget.
    const viaApi = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: bob.contactId });
    for (const id of [aliceConv.id, viaApi.body.data.id]) {
      expect((await api(t, 'GET', `/api/v1/widget/conversations/${id}/messages`, undefined, bob.auth)).status).toBe(404);
      expect((await api(t, 'POST', `/api/v1/widget/conversations/${id}/messages`, { content: 'hi' }, bob.auth)).status).toBe(404);
    }
    // The business's own credentials do not open a visitor's routes.
    expect((await api(t, 'GET', '/api/v1/widget/conversations', undefined, t.auth)).status).toBe(401);
    expect((await api(t, 'GET', `/api/v1/widget/conversations/${aliceConv.id}/messages`, undefined, t.auth)).status).toBe(401);
    const bobs = await api<{ data: Conversation[] }>(t, 'GET', '/api/v1/widget/conversations', undefined, bob.auth);
    expect(bobs.body.data).toEqual([]);
    const alices = await api<{ data: Conversation[] }>(t, 'GET', '/api/v1/widget/conversations', undefined, alice.auth);
    expect(alices.body.data.map((c) => c.id)).toEqual([aliceConv.id]);
    expect(Object.keys(alices.body.data[0])).not.toContain('metadata');
  });

  it('refuses a message over 10,000 characters or blank with 400, storing nothing', async () => {
    const v = await visitor();
    const conv = (await startConversation(v)).body.data;
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'x'.repeat(10_001) }, v.auth)).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: '   ' }, v.auth)).status).toBe(400);
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/widget/conversations/${conv.id}/messages`, undefined, v.auth);
    expect(list.body.data).toEqual([]);
  });

  it('answers with the agent’s reply and its sources, and never shows the team’s notes', async () => {
    const v = await visitor();
    const conv = (await startConversation(v, { page_url: 'https://shop.example/returns' })).body.data;
    const res = await api<{ data: { user_message: Message; assistant_message: Message } }>(
      t,
      'POST',
      `/api/v1/widget/conversations/${conv.id}/messages`,
      { content: 'How long do I have to return an item?' },
      v.auth,
    );
    expect(res.status).toBe(201);
    expect(res.body.data.user_message).toMatchObject({ role: 'user', author: { type: 'contact', name: null } });
    const reply = res.body.data.assistant_message;
    expect(reply).toMatchObject({ role: 'assistant', author: { type: 'agent', name: 'Demo Support Agent' } });
    expect(reply.sources.length).toBeGreaterThan(0);

    const admin = await login(t);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'note', content: 'VIP, be nice' }, admin.headers);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'Hello from the team' }, admin.headers);
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/widget/conversations/${conv.id}/messages`, undefined, v.auth);
    expect(list.body.data.map((m) => m.role)).toEqual(['user', 'assistant', 'operator']);
    expect(list.body.data[2].author).toEqual({ type: 'member', name: 'Admin' });
    expect(JSON.stringify(list.body.data)).not.toContain('VIP');
    // The team sees the page the conversation started on.
    const seen = await api<{ data: { metadata: Record<string, unknown>; channel_id: string } }>(t, 'GET', `/api/v1/conversations/${conv.id}`);
    expect(seen.body.data).toMatchObject({ channel_id: channel.id, visitor: { page_url: 'https://shop.example/returns', attributes: {} } });

    const liked = await api<{ data: Message }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages/${reply.id}/feedback`, { rating: 'like' }, v.auth);
    expect(liked.status).toBe(200);
    expect(liked.body.data.feedback).toMatchObject({ rating: 'like' });
  });

  it('streams the reply with seed 000’s events, the sources on stream.end', async () => {
    const v = await visitor();
    const conv = (await startConversation(v)).body.data;
    const res = await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'Do you ship abroad?', stream: true }, v.auth);
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    expect(events[0].event).toBe('message.created');
    expect(events[1].event).toBe('stream.start');
    expect(events.filter((e) => e.event === 'stream.delta').length).toBeGreaterThan(0);
    const end = events.at(-1)!;
    expect(end.event).toBe('stream.end');
    expect((end.data.sources as unknown[]).length).toBeGreaterThan(0);
  });

  it('sends no AI reply once a person has taken over', async () => {
    const v = await visitor();
    const conv = (await startConversation(v)).body.data;
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' });
    const res = await api<{ data: { assistant_message: Message | null } }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'Anyone?' }, v.auth);
    expect(res.status).toBe(201);
    expect(res.body.data.assistant_message).toBeNull();
  });

  it('checks the pre-chat form before a conversation starts (422 per field)', async () => {
    const v = await visitor(formChannel.public_key);
    const missing = await startConversation(v, { pre_chat: { topic: 'Weather', nickname: 'x' } });
    expect(missing.status).toBe(422);
    expect(Object.keys(errorOf(missing).details).sort()).toEqual(['email', 'nickname', 'topic']);
    expect((await api<{ data: Conversation[] }>(t, 'GET', '/api/v1/widget/conversations', undefined, v.auth)).body.data).toEqual([]);
    const ok = await startConversation(v, { pre_chat: { topic: 'Billing', email: 'me@example.com' } });
    expect(ok.status).toBe(201);
    const seen = await api<{ data: { metadata: Record<string, unknown> } }>(t, 'GET', `/api/v1/conversations/${ok.body.data.id}`);
    expect(seen.body.data.metadata).toEqual({ widget: { pre_chat: { topic: 'Billing', email: 'me@example.com' } } });
  });
});
