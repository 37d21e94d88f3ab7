import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { openSse, type SseClient } from '../../../test/sse-client.js';

interface VisitorConversation {
  id: string;
  status: string;
  mode: string;
  handoff: { at: string; source: string; reason: string | null } | null;
  csat: { rating: number; comment: string | null } | null;
  team_read_message_id: number | null;
  last_message: { id: number; role: string; content: string } | null;
}
interface Conversation {
  id: string;
  mode: string;
  handoff: { source: string } | null;
  waiting_since: string | null;
  csat: { rating: number; comment: string | null } | null;
  visitor: { page_url: string | null; locale: string | null; browser: string | null; attributes: Record<string, unknown> } | null;
  contact_read_message_id: number | null;
  team_read_message_id: number | null;
}

const CHROME_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Takes events until one of `type` arrives (others are skipped), or fails after the timeout. */
async function nextOf(stream: SseClient, type: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await stream.next(Math.max(1, deadline - Date.now()));
    if (event.event === type) return event;
  }
}

describe.each(DIALECTS)('a widget visitor, live, on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let base: string;
  let channel: { id: string; public_key: string };
  const streams: SseClient[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    channel = (
      await api<{ data: { id: string; public_key: string } }>(t, 'POST', '/api/v1/channels', {
        name: 'Shop chat',
        type: 'web_widget',
        config: { allowed_origins: ['https://shop.example'] },
      })
    ).body.data;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  async function visitor() {
    const res = await api<{ data: { visitor_token: string; contact: { id: number } } }>(t, 'POST', '/api/v1/widget/sessions', { public_key: channel.public_key }, {});
    expect(res.status).toBe(201);
    return { auth: { authorization: `Bearer ${res.body.data.visitor_token}` }, token: res.body.data.visitor_token, contactId: res.body.data.contact.id };
  }
  type V = Awaited<ReturnType<typeof visitor>>;
  const start = async (v: V, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    (await api<{ data: VisitorConversation }>(t, 'POST', '/api/v1/widget/conversations', body, { ...v.auth, ...headers })).body.data;
  const follow = async (v: V, id: string, headers: Record<string, string> = {}) => {
    const s = await openSse(`${base}/api/v1/widget/conversations/${id}/stream`, { ...v.auth, ...headers });
    streams.push(s);
    return s;
  };
  const memberView = async (id: string) => (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;

  it('refuses the stream to another visitor (404), to a page the channel does not allow (403), and to API keys (401)', async () => {
    const alice = await visitor();
    const bob = await visitor();
    const conv = await start(alice);
    expect((await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: bob.auth })).status).toBe(404);
    const refused = await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: { ...alice.auth, origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: t.auth })).status).toBe(401);
    for (const path of ['typing', 'read', 'handoff', 'csat']) {
      const body = path === 'typing' ? { typing: true } : path === 'read' ? { message_id: 1 } : path === 'csat' ? { rating: 5 } : {};
      expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/${path}`, body, bob.auth)).status, path).toBe(404);
      expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/${path}`, body, admin.headers)).status, path).toBe(401);
    }
  });

  it('carries an operator’s reply, by first name, and never a note; allowed pages get CORS headers', async () => {
    const v = await visitor();
    const conv = await start(v);
    const stream = await follow(v, conv.id, { origin: 'https://shop.example' });
    expect(stream.status).toBe(200);
    await api(t, 'POST', `/api/v1/members`, { email: 'maya@example.com', name: 'Maya Lopez', role: 'agent', password: 'correct horse battery' }, admin.headers);
    const maya = await login(t, 'maya@example.com', 'correct horse battery');
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'note', content: 'secret note' }, maya.headers);
    const posted = await api<{ data: { id: number } }>(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'Hi, Maya here' }, maya.headers);
    const event = await nextOf(stream, 'message.created');
    expect(event.data).toMatchObject({ id: posted.body.data.id, role: 'operator', content: 'Hi, Maya here', author: { type: 'member', name: 'Maya' } });
    expect(JSON.stringify(stream.drain())).not.toContain('secret note');
  });

  it('resumes after Last-Event-ID with what was missed, once', async () => {
    const v = await visitor();
    const conv = await start(v);
    const first = await follow(v, conv.id);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'one' }, admin.headers);
    const one = await nextOf(first, 'message.created');
    first.close();
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'two' }, admin.headers);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'three' }, admin.headers);
    const again = await follow(v, conv.id, { 'last-event-id': String(one.id) });
    const seen = [(await nextOf(again, 'message.created')).data.content, (await nextOf(again, 'message.created')).data.content];
    expect(seen).toEqual(['two', 'three']);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'four' }, admin.headers);
    expect((await nextOf(again, 'message.created')).data.content).toBe('four');
    expect(again.drain().filter((e) => e.event === 'message.created')).toEqual([]);
    expect((await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: { ...v.auth, 'last-event-id': 'x' } })).status).toBe(400);
  });

  it('shows typing both ways, live and unstored', async () => {
    const v = await visitor();
    const conv = await start(v);
    const visitorStream = await follow(v, conv.id);
    const team = await openSse(`${base}/api/v1/events/stream`, { cookie: admin.cookie });
    streams.push(team);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/typing`, { typing: true }, v.auth)).status).toBe(204);
    const typing = await nextOf(team, 'typing');
    expect(typing.id).toBeUndefined();
    expect(typing.data).toMatchObject({ conversation_id: conv.id, typing: true, actor: { type: 'contact', id: v.contactId } });
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.id}/typing`, { typing: true }, admin.headers)).status).toBe(204);
    expect((await nextOf(visitorStream, 'typing')).data).toEqual({ typing: true, name: 'Admin' });
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.id}/typing`, { typing: 'yes' }, admin.headers)).status).toBe(400);
    const logged = await api<{ data: Array<{ type: string }> }>(t, 'GET', '/api/v1/events?after=0&limit=100&type=typing');
    expect(logged.body.data).toEqual([]);
  });

  it('hands off to a person: manual mode, the handoff, waiting in the inbox, the email a claim only', async () => {
    const v = await visitor();
    const conv = await start(v);
    await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'Where is my parcel?' }, v.auth);
    const stream = await follow(v, conv.id);
    const res = await api<{ data: VisitorConversation }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/handoff`, { email: 'me@shop.example' }, v.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'manual', handoff: { source: 'visitor' } });
    expect((await nextOf(stream, 'conversation.updated')).data).toMatchObject({ id: conv.id, mode: 'manual', handoff: { source: 'visitor' } });

    const seen = await memberView(conv.id);
    expect(seen).toMatchObject({ mode: 'manual', handoff: { source: 'visitor' } });
    expect(seen.waiting_since).not.toBeNull();
    const waiting = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?waiting=true&limit=100');
    expect(waiting.body.data.map((c) => c.id)).toContain(conv.id);
    const events = await api<{ data: Array<{ type: string; data: { conversation: { id: string } } }> }>(t, 'GET', '/api/v1/events?after=0&limit=100&type=conversation.handoff');
    expect(events.body.data.map((e) => e.data.conversation.id)).toContain(conv.id);
    const contact = await api<{ data: { email: string | null; claimed_email: string | null } }>(t, 'GET', `/api/v1/contacts/${v.contactId}`);
    expect(contact.body.data).toMatchObject({ email: null, claimed_email: 'me@shop.example' });
    const updates = await api<{ data: Array<{ data: { contact: { id: number; claimed_email: string | null } } }> }>(t, 'GET', '/api/v1/events?after=0&limit=100&type=contact.updated');
    expect(updates.body.data.some((e) => e.data.contact.id === v.contactId && e.data.contact.claimed_email === 'me@shop.example')).toBe(true);

    // No AI reply follows; an operator's answer ends the wait.
    const after = await api<{ data: { assistant_message: unknown } }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'Hello?' }, v.auth);
    expect(after.body.data.assistant_message).toBeNull();
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'On its way!' }, admin.headers);
    expect((await memberView(conv.id)).waiting_since).toBeNull();
    const still = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?waiting=true&limit=100');
    expect(still.body.data.map((c) => c.id)).not.toContain(conv.id);
    // Handing off again changes nothing; an ended conversation cannot be handed off.
    const twice = await api<{ data: VisitorConversation }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/handoff`, {}, v.auth);
    expect(twice.body.data.handoff!.at).toBe(res.body.data.handoff!.at);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/end`);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/handoff`, {}, v.auth)).status).toBe(422);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/handoff`, { email: 'not an email' }, v.auth)).status).toBe(400);
  });

  it('tells the visitor live when the team reopens an ended conversation, and lets them write again', async () => {
    const v = await visitor();
    const conv = await start(v);
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.id}/end`, {}, admin.headers)).status).toBe(200);
    const refused = await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'One more thing' }, v.auth);
    expect(refused.status).toBe(422);
    const stream = await follow(v, conv.id);
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.id}/reopen`, {}, admin.headers)).status).toBe(200);
    expect((await nextOf(stream, 'conversation.updated')).data).toMatchObject({ id: conv.id, status: 'active', ended_at: null });
    const sent = await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: 'One more thing' }, v.auth);
    expect(sent.status).toBeLessThan(300);
  });

  it('records read receipts each way: "Seen" for the visitor, the visitor’s read for the team', async () => {
    const v = await visitor();
    const conv = await start(v);
    const sent = await api<{ data: { user_message: { id: number }; assistant_message: { id: number } } }>(
      t,
      'POST',
      `/api/v1/widget/conversations/${conv.id}/messages`,
      { content: 'Do you ship abroad?' },
      v.auth,
    );
    const stream = await follow(v, conv.id);
    const opened = (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${conv.id}`, undefined, admin.headers)).body.data;
    expect(opened.team_read_message_id).toBe(sent.body.data.user_message.id);
    expect((await nextOf(stream, 'read')).data).toEqual({ reader: 'team', message_id: sent.body.data.user_message.id });

    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/read`, { message_id: sent.body.data.assistant_message.id }, v.auth)).status).toBe(204);
    expect((await memberView(conv.id)).contact_read_message_id).toBe(sent.body.data.assistant_message.id);
    // Never backwards; a note's id or another conversation's message is 404.
    await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/read`, { message_id: sent.body.data.user_message.id }, v.auth);
    expect((await memberView(conv.id)).contact_read_message_id).toBe(sent.body.data.assistant_message.id);
    const note = await api<{ data: { id: number } }>(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'note', content: 'psst' }, admin.headers);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/read`, { message_id: note.body.data.id }, v.auth)).status).toBe(404);
    const other = await start(v);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${other.id}/read`, { message_id: sent.body.data.user_message.id }, v.auth)).status).toBe(404);
  });

  it('takes one rating of an ended conversation: 422 while active, 409 the second time', async () => {
    const v = await visitor();
    const conv = await start(v);
    expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/csat`, { rating: 5 }, v.auth)).status).toBe(422);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/end`);
    for (const bad of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: 3, comment: 'x'.repeat(2001) }, {}]) {
      expect((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/csat`, bad, v.auth)).status, JSON.stringify(bad).slice(0, 40)).toBe(400);
    }
    const rated = await api<{ data: VisitorConversation }>(t, 'POST', `/api/v1/widget/conversations/${conv.id}/csat`, { rating: 4, comment: ' Quick and kind ' }, v.auth);
    expect(rated.status).toBe(200);
    expect(rated.body.data.csat).toMatchObject({ rating: 4, comment: 'Quick and kind' });
    const second = await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/csat`, { rating: 1 }, v.auth);
    expect(second.status).toBe(409);
    expect(errorOf(second).code).toBe('CONFLICT');
    expect((await memberView(conv.id)).csat).toMatchObject({ rating: 4, comment: 'Quick and kind' });
  });

  it('keeps the page, language, browser and the site’s attributes for the team, bounded', async () => {
    const v = await visitor();
    const conv = await start(
      v,
      { page_url: 'https://shop.example/cart', attributes: { plan: 'pro', cart_total: 42 } },
      { 'user-agent': CHROME_UA, 'accept-language': 'de-CH,de;q=0.9,en;q=0.8' },
    );
    expect((await memberView(conv.id)).visitor).toEqual({
      page_url: 'https://shop.example/cart',
      locale: 'de-CH',
      browser: 'Chrome 126 on macOS',
      attributes: { plan: 'pro', cart_total: 42 },
    });
    const big = await api(t, 'POST', '/api/v1/widget/conversations', { attributes: { blob: 'x'.repeat(5000) } }, v.auth);
    expect(big.status).toBe(400);
    expect(errorOf(big).details).toHaveProperty('attributes');
    // The list shows each conversation's last message.
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { role: 'operator', content: 'Need help with the cart?' }, admin.headers);
    const list = await api<{ data: VisitorConversation[] }>(t, 'GET', '/api/v1/widget/conversations', undefined, v.auth);
    expect(list.body.data.find((c) => c.id === conv.id)!.last_message).toMatchObject({ role: 'operator', content: 'Need help with the cart?' });
  });

  it('holds at most ten live streams per visitor at once', async () => {
    const v = await visitor();
    const conv = await start(v);
    const open: SseClient[] = [];
    for (let i = 0; i < 10; i++) open.push(await follow(v, conv.id));
    expect(open.every((s) => s.status === 200)).toBe(true);
    const refused = await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: v.auth });
    expect(refused.status).toBe(429);
    open[0].close();
    // The closed one frees its place once the server has seen it go.
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${base}/api/v1/widget/conversations/${conv.id}/stream`, { headers: v.auth, signal: AbortSignal.timeout(1000) }).catch(() => null);
      status = res?.status ?? 0;
      if (status === 200) {
        void res!.body?.cancel();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
  });

  it('limits how fast one visitor may send (429 in the envelope)', async () => {
    const v = await visitor();
    const conv = await start(v);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await api(t, 'POST', `/api/v1/widget/conversations/${conv.id}/messages`, { content: `message ${i}` }, v.auth)).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});
