import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, parseSse } from '../../../test/http.js';

interface Message {
  id: number;
  role: string;
  content: string;
  author_id: string | null;
  modality: string;
  feedback: { rating: string; comment: string | null } | null;
}
type Many = { data: Message[] };
type Exchange = { data: { user_message: Message; assistant_message: Message | null } };

describe.each(DIALECTS)('messages for operators on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'ops@example.com' })).body.data.id;
  });
  afterAll(async () => t.close());

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  const list = async (id: string, headers?: Record<string, string>) =>
    (await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`, undefined, headers)).body.data;

  it('in manual mode a user message gets no AI reply, synchronously or streamed, until handed back', async () => {
    const id = await newConversation();
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' }, admin.headers);
    const sync = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Can a human help?' });
    expect(sync.status).toBe(201);
    expect(sync.body.data.assistant_message).toBeNull();
    const streamed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'Still there?', stream: true }),
    });
    expect(parseSse(streamed.body).map((e) => e.event)).toEqual(['message.created']);
    expect((await list(id)).map((m) => m.role)).toEqual(['user', 'user']);

    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'ai' }, admin.headers);
    const back = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'How long does shipping take?' });
    expect(back.body.data.assistant_message?.role).toBe('assistant');
  });

  it("posts an operator's reply with the member as author, seen by everyone, never answered by the AI", async () => {
    const id = await newConversation();
    const res = await api<{ data: Message }>(
      t,
      'POST',
      `/api/v1/conversations/${id}/messages`,
      { content: 'Hi, this is Sam from support.', role: 'operator' },
      admin.headers,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ role: 'operator', author_id: admin.member.id, content: 'Hi, this is Sam from support.' });
    expect((await list(id)).map((m) => m.role)).toEqual(['operator']);
    expect((await list(id, admin.headers)).map((m) => m.role)).toEqual(['operator']);
  });

  it('keeps internal notes from API keys while members see them', async () => {
    const id = await newConversation();
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'What is your return policy?' });
    const note = await api<{ data: Message }>(
      t,
      'POST',
      `/api/v1/conversations/${id}/messages`,
      { content: 'Customer is a VIP, be generous', role: 'note' },
      admin.headers,
    );
    expect(note.body.data.role).toBe('note');
    expect((await list(id)).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect((await list(id, admin.headers)).map((m) => m.role)).toEqual(['user', 'assistant', 'note']);
    const single = await api(t, 'GET', `/api/v1/conversations/${id}/messages/${note.body.data.id}`);
    expect(single.status).toBe(404);
    const asMember = await api<{ data: Message }>(t, 'GET', `/api/v1/conversations/${id}/messages/${note.body.data.id}`, undefined, admin.headers);
    expect(asMember.body.data.content).toBe('Customer is a VIP, be generous');
    const transcript = await api<{ data: { messages: Message[] } }>(t, 'GET', `/api/v1/conversations/${id}/transcript`, undefined, admin.headers);
    expect(transcript.body.data.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('refuses to stream operator messages and to post to ended conversations', async () => {
    const id = await newConversation();
    const stream = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'x', role: 'operator', stream: true });
    expect(stream.status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'x', role: 'admin' })).status).toBe(400);
    await api(t, 'POST', `/api/v1/conversations/${id}/end`);
    const late = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'x', role: 'operator' }, admin.headers);
    expect(late.status).toBe(422);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' })).status).toBe(422);
  });

  it('records feedback on replies, shows it on the message, clears it with null, and filters has_feedback', async () => {
    const id = await newConversation();
    const ex = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Do you ship abroad?' });
    const reply = ex.body.data.assistant_message!;
    const liked = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${id}/messages/${reply.id}/feedback`, {
      rating: 'like',
      comment: 'Spot on',
    });
    expect(liked.status).toBe(200);
    expect(liked.body.data.feedback).toMatchObject({ rating: 'like', comment: 'Spot on' });
    expect((await list(id)).find((m) => m.id === reply.id)!.feedback?.rating).toBe('like');
    const withFeedback = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?has_feedback=true&limit=100');
    expect(withFeedback.body.data.map((c) => c.id)).toContain(id);
    const without = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?has_feedback=false&limit=100');
    expect(without.body.data.map((c) => c.id)).not.toContain(id);

    const onUser = await api(t, 'POST', `/api/v1/conversations/${id}/messages/${ex.body.data.user_message.id}/feedback`, { rating: 'dislike' });
    expect(onUser.status).toBe(422);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages/${reply.id}/feedback`, { rating: 'meh' })).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages/999999999/feedback`, { rating: 'like' })).status).toBe(404);
    const cleared = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${id}/messages/${reply.id}/feedback`, { rating: null });
    expect(cleared.body.data.feedback).toBeNull();
  });

  it("suggests a reply to the contact's last message without posting anything", async () => {
    const id = await newConversation();
    const empty = await api(t, 'GET', `/api/v1/conversations/${id}/suggestion`, undefined, admin.headers);
    expect(empty.status).toBe(422);
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'How long do I have to return an item?' });
    const res = await api<{ data: { content: string; sources: Array<{ title: string }> } }>(
      t,
      'GET',
      `/api/v1/conversations/${id}/suggestion`,
      undefined,
      admin.headers,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.content.length).toBeGreaterThan(20);
    expect(res.body.data.sources.length).toBeGreaterThan(0);
    expect((await list(id)).map((m) => m.role)).toEqual(['user']);
  });

  it('gives the transcript as JSON with modalities, and as a plain-text download', async () => {
    const id = await newConversation();
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Calling about my order', modality: 'voice' });
    const json = await api<{ data: { conversation_id: string; messages: Array<Message & { created_at: string }> } }>(
      t,
      'GET',
      `/api/v1/conversations/${id}/transcript`,
    );
    expect(json.body.data.conversation_id).toBe(id);
    expect(json.body.data.messages.map((m) => [m.role, m.modality])).toEqual([
      ['user', 'voice'],
      ['assistant', 'text'],
    ]);
    expect(Object.keys(json.body.data.messages[0]).sort()).toEqual(['content', 'created_at', 'id', 'modality', 'role']);
    const text = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}/transcript?format=text`, headers: t.auth });
    expect(text.statusCode).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.headers['content-disposition']).toBe(`attachment; filename="conversation-${id}.txt"`);
    expect(text.body).toContain('Contact:\nCalling about my order');
    expect(text.body).toMatch(/AI:\n/);
    expect((await api(t, 'GET', `/api/v1/conversations/${id}/transcript?format=pdf`)).status).toBe(400);
  });

  it('404s suggestion, transcript and feedback for conversations of other accounts', async () => {
    const id = await newConversation();
    const other = await t.otherWorkspace();
    for (const path of [`/conversations/${id}/suggestion`, `/conversations/${id}/transcript`]) {
      const res = await api(t, 'GET', `/api/v1${path}`, undefined, other.auth);
      expect(res.status, path).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
  });
});
