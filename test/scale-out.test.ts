import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './helpers.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { openSse } from './sse-client.js';

/** Issue 4's scale-out: two `parley serve` processes on one PostgreSQL database. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('two Parley processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: ServeProcess;
  let b: ServeProcess;
  let headers: Record<string, string>;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    // An empty database: the first process seeds the first workspace and prints its key.
    await db.database.db.schema.dropSchema('public').cascade().execute();
    await db.database.db.schema.createSchema('public').execute();
    a = await startServe({ DATABASE_URL: db.location });
    b = await startServe({ DATABASE_URL: db.location });
    expect(a.apiKey).not.toBeNull();
    expect(b.apiKey).toBeNull();
    headers = { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' };
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.cleanup();
  });

  const post = async (base: string, path: string, body: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return (await res.json()) as { data: { id: number & string; assistant_message: { id: number } } };
  };

  it("shows an event produced through one process on the other's /events/stream", async () => {
    const stream = await openSse(`${b.url}/api/v1/events/stream`, { authorization: headers.authorization });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const created = await post(a.url, '/contacts', { email: 'across@example.com' });
      // Well under the streams' 5 s fallback poll: it came through LISTEN/NOTIFY.
      const event = await stream.next(2000);
      expect(event.event).toBe('contact.created');
      expect((event.data.data as { contact: { id: number } }).contact.id).toBe(created.data.id);
    } finally {
      stream.close();
    }
  });

  it('brings a widget visitor what another process did: an operator’s reply, typing both ways', async () => {
    const channels = await fetch(`${a.url}/api/v1/channels?type=web_widget`, { headers });
    const key = ((await channels.json()) as { data: Array<{ public_key: string }> }).data[0].public_key;
    const session = await fetch(`${a.url}/api/v1/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ public_key: key }) });
    const visitor = { authorization: `Bearer ${((await session.json()) as { data: { visitor_token: string } }).data.visitor_token}`, 'content-type': 'application/json' };
    const started = await fetch(`${a.url}/api/v1/widget/conversations`, { method: 'POST', headers: visitor, body: '{}' });
    const conversationId = ((await started.json()) as { data: { id: string } }).data.id;

    const login = await fetch(`${b.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a.admin) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
    const member = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

    const visitorStream = await openSse(`${a.url}/api/v1/widget/conversations/${conversationId}/stream`, { authorization: visitor.authorization });
    const teamStream = await openSse(`${b.url}/api/v1/events/stream`, { cookie });
    try {
      await new Promise((r) => setTimeout(r, 200));
      await fetch(`${b.url}/api/v1/conversations/${conversationId}/messages`, { method: 'POST', headers: member, body: JSON.stringify({ role: 'operator', content: 'Hello from B' }) });
      let event = await visitorStream.next(2000);
      while (event.event !== 'message.created') event = await visitorStream.next(2000);
      expect(event.data).toMatchObject({ role: 'operator', content: 'Hello from B', author: { type: 'member', name: 'Admin' } });

      await fetch(`${a.url}/api/v1/widget/conversations/${conversationId}/typing`, { method: 'POST', headers: visitor, body: JSON.stringify({ typing: true }) });
      let typing = await teamStream.next(2000);
      while (typing.event !== 'typing') typing = await teamStream.next(2000);
      expect(typing.data).toMatchObject({ conversation_id: conversationId, typing: true, actor: { type: 'contact' } });

      await fetch(`${b.url}/api/v1/conversations/${conversationId}/typing`, { method: 'POST', headers: member, body: JSON.stringify({ typing: true }) });
      let shown = await visitorStream.next(2000);
      while (shown.event !== 'typing') shown = await visitorStream.next(2000);
      expect(shown.data).toEqual({ typing: true, name: 'Admin' });
    } finally {
      visitorStream.close();
      teamStream.close();
    }
  });

  it('auto-assigns a burst of 200 handoffs across both processes once each, nobody over capacity', async () => {
    const json = { 'content-type': 'application/json' };
    const signIn = async (base: string, email: string, password: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
      const body = (await res.json()) as { csrf_token: string; data: { id: string } };
      return { id: body.data.id, headers: { ...json, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': body.csrf_token } };
    };
    const admin = await signIn(a.url, a.admin!.email, a.admin!.password);
    const members: Array<{ id: string; headers: Record<string, string> }> = [];
    for (const name of ['ana', 'ben', 'cy']) {
      await fetch(`${a.url}/api/v1/members`, {
        method: 'POST',
        headers: admin.headers,
        body: JSON.stringify({ email: `${name}@burst.example`, name, role: 'agent', password: 'correct horse battery' }),
      });
      members.push(await signIn(name === 'ben' ? b.url : a.url, `${name}@burst.example`, 'correct horse battery'));
    }
    const team = await post(a.url, '/teams', { name: 'Burst', member_ids: members.map((m) => m.id), auto_assign: true, max_open_per_member: 50 });
    for (const [i, m] of members.entries()) {
      await fetch(`${i % 2 ? b.url : a.url}/api/v1/me/availability`, { method: 'POST', headers: m.headers, body: JSON.stringify({ availability: 'online' }) });
    }
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const contact = await post(a.url, '/contacts', {});
      const conv = await post(a.url, '/conversations', { contact_id: contact.data.id });
      await post(a.url, `/conversations/${conv.data.id}/mode`, { mode: 'manual' });
      ids.push(conv.data.id);
    }
    // The burst: every handoff to the team at once, half through each process.
    await Promise.all(ids.map((id, i) => post(i % 2 ? b.url : a.url, `/conversations/${id}/assign`, { team_id: team.data.id })));

    const rows = await db.database.db.selectFrom('conversations').select(['id', 'assignee_id', 'team_queued_at']).where('team_id', '=', team.data.id).execute();
    expect(rows).toHaveLength(200);
    const perMember = new Map<string, number>();
    for (const r of rows) if (r.assignee_id) perMember.set(r.assignee_id, (perMember.get(r.assignee_id) ?? 0) + 1);
    expect([...perMember.values()].sort()).toEqual([50, 50, 50]);
    expect(rows.filter((r) => r.assignee_id === null && r.team_queued_at !== null)).toHaveLength(50);
    const events = await db.database.db.selectFrom('events').select('data').where('type', '=', 'conversation.assigned').execute();
    const autoPerConversation = new Map<string, number>();
    for (const e of events) {
      const data = JSON.parse(typeof e.data === 'string' ? e.data : JSON.stringify(e.data)) as { conversation: { id: string }; assignment?: { reason: string } };
      if (data.assignment?.reason === 'auto') autoPerConversation.set(data.conversation.id, (autoPerConversation.get(data.conversation.id) ?? 0) + 1);
    }
    expect(autoPerConversation.size).toBe(150);
    expect([...autoPerConversation.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('produces each async reply once between the two processes', async () => {
    const contact = await post(a.url, '/contacts', { email: 'async-both@example.com' });
    const conv = await post(a.url, '/conversations', { contact_id: contact.data.id });
    const replies: number[] = [];
    for (let i = 0; i < 6; i++) {
      const base = i % 2 === 0 ? a.url : b.url;
      const res = await post(base, `/conversations/${conv.data.id}/messages`, { content: `Question ${i}: how long does shipping take?`, async: true });
      replies.push(res.data.assistant_message.id);
    }
    const deadline = Date.now() + 15_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(
        replies.map(async (id) => {
          const r = await fetch(`${b.url}/api/v1/conversations/${conv.data.id}/messages/${id}`, { headers });
          return ((await r.json()) as { data: { status: string } }).data.status;
        }),
      );
      if (statuses.every((s) => s === 'completed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses).toEqual(replies.map(() => 'completed'));
    const rows = await db.database.db.selectFrom('events').select('data').where('type', '=', 'message.created').execute();
    const announced = rows
      .map((r) => (JSON.parse(r.data) as { message: { id: number } }).message.id)
      .filter((id) => replies.includes(id));
    expect(announced.sort()).toEqual([...replies].sort());
  });
});
