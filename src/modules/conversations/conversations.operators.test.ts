import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Conversation {
  id: string;
  status: string;
  mode: string;
  tags: string[];
  title: string | null;
  summary: string | null;
  score: number | null;
  priority: string;
  state_id: string | null;
  assignee_id: string | null;
  unread_count: number;
  turn_count: number;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  recent_messages?: Array<{ role: string; content: string }>;
}
type One = { data: Conversation };
type Many = { data: Conversation[]; pagination: { cursor: string | null; has_more: boolean } };

describe.each(DIALECTS)('conversations for operators on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {
      email: 'olivia@example.com',
      name: 'Olivia Quartermaine',
      phone: '+44 20 7946 0958',
    });
    contactId = c.body.data.id;
  });
  afterAll(async () => t.close());

  const start = async (body: Record<string, unknown> = {}) =>
    (await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: contactId, ...body })).body.data;
  const ids = (res: { body: Many }) => res.body.data.map((c) => c.id);

  it('lets a member start a conversation for a named agent, and requires one', async () => {
    const res = await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: contactId, agent_id: t.workspace.agentId }, admin.headers);
    expect(res.status).toBe(201);
    const missing = await api(t, 'POST', '/api/v1/conversations', { contact_id: contactId }, admin.headers);
    expect(missing.status).toBe(422);
    expect(errorOf(missing).details).toHaveProperty('agent_id');
    const other = await t.otherWorkspace();
    const foreign = await api(t, 'POST', '/api/v1/conversations', { contact_id: contactId, agent_id: other.agentId }, admin.headers);
    expect(foreign.status).toBe(422);
  });

  it('updates title, context, summary, score, priority and metadata with PATCH', async () => {
    const c = await start({ metadata: { a: 1, nested: { x: 1 } } });
    const res = await api<One>(t, 'PATCH', `/api/v1/conversations/${c.id}`, {
      title: 'Broken zipper',
      context: 'Jacket bought in March',
      summary: 'Wants a replacement',
      score: 4,
      priority: 'high',
      metadata: { nested: { y: 2 }, a: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ title: 'Broken zipper', summary: 'Wants a replacement', score: 4, priority: 'high' });
    expect(res.body.data.metadata).toEqual({ nested: { x: 1, y: 2 } });
    for (const bad of [{ score: 6 }, { score: 0 }, { score: 2.5 }, { priority: 'asap' }, { status: 'ended' }, { title: 5 }]) {
      const r = await api(t, 'PATCH', `/api/v1/conversations/${c.id}`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    const unknownState = await api(t, 'PATCH', `/api/v1/conversations/${c.id}`, { state_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknownState.status).toBe(422);
    const stored = await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`);
    expect(stored.body.data.score).toBe(4);
  });

  it('adds and removes tags, normalised and idempotent, and filters by tag', async () => {
    const c = await start();
    await api(t, 'POST', `/api/v1/conversations/${c.id}/tags`, { tag: '  VIP ' });
    const twice = await api<One>(t, 'POST', `/api/v1/conversations/${c.id}/tags`, { tag: 'vip' });
    await api(t, 'POST', `/api/v1/conversations/${c.id}/tags`, { tag: 'refund' });
    expect(twice.body.data.tags).toEqual(['vip']);
    const both = await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`);
    expect(both.body.data.tags).toEqual(['refund', 'vip']);
    expect(ids(await api<Many>(t, 'GET', '/api/v1/conversations?tag=VIP'))).toEqual([c.id]);
    const removed = await api<One>(t, 'DELETE', `/api/v1/conversations/${c.id}/tags/vip`);
    expect(removed.body.data.tags).toEqual(['refund']);
    expect(ids(await api<Many>(t, 'GET', '/api/v1/conversations?tag=vip'))).toEqual([]);
    expect((await api(t, 'POST', `/api/v1/conversations/${c.id}/tags`, { tag: '' })).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${c.id}/tags`, { tag: '   ' })).status).toBe(422);
  });

  it('assigns to a member of the account, filters by assignee, and refuses members of other accounts', async () => {
    const c = await start();
    const res = await api<One>(t, 'POST', `/api/v1/conversations/${c.id}/assign`, { member_id: admin.member.id });
    expect(res.body.data.assignee_id).toBe(admin.member.id);
    expect(ids(await api<Many>(t, 'GET', `/api/v1/conversations?assignee_id=${admin.member.id}`))).toContain(c.id);
    expect(ids(await api<Many>(t, 'GET', '/api/v1/conversations?assignee_id=unassigned&limit=100'))).not.toContain(c.id);

    const other = await t.otherWorkspace();
    const theirAdmin = await login(t, other.adminEmail, other.adminPassword);
    const foreign = await api(t, 'POST', `/api/v1/conversations/${c.id}/assign`, { member_id: theirAdmin.member.id });
    expect(foreign.status).toBe(422);
    const cleared = await api<One>(t, 'POST', `/api/v1/conversations/${c.id}/assign`, { member_id: null });
    expect(cleared.body.data.assignee_id).toBeNull();
    expect(ids(await api<Many>(t, 'GET', '/api/v1/conversations?assignee_id=unassigned&limit=100'))).toContain(c.id);
    expect((await api(t, 'GET', '/api/v1/conversations?assignee_id=nobody')).status).toBe(400);
  });

  it('filters by status, mode, agent and contact, and sorts by created_at or updated_at in either order', async () => {
    const a = await start();
    const b = await start();
    const c = await start();
    await api(t, 'POST', `/api/v1/conversations/${b.id}/mode`, { mode: 'manual' });
    await api(t, 'POST', `/api/v1/conversations/${c.id}/end`);
    await new Promise((r) => setTimeout(r, 5));
    await api(t, 'PATCH', `/api/v1/conversations/${a.id}`, { title: 'touched last' });

    const manual = await api<Many>(t, 'GET', '/api/v1/conversations?mode=manual&limit=100');
    expect(manual.body.data.every((x) => x.mode === 'manual')).toBe(true);
    expect(ids(manual)).toContain(b.id);
    expect(ids(await api<Many>(t, 'GET', '/api/v1/conversations?status=ended&limit=100'))).toContain(c.id);
    expect(ids(await api<Many>(t, 'GET', `/api/v1/conversations?agent_id=${t.workspace.agentId}&limit=1`))).toHaveLength(1);

    const byUpdate = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&sort=updated_at&order=desc&limit=100`);
    expect(byUpdate.body.data[0].id).toBe(a.id);
    const asc = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&order=asc&limit=100`);
    const desc = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&order=desc&limit=100`);
    expect(ids(asc)).toEqual([...ids(desc)].reverse());
  });

  it('answers the same list shape with new values each time (each shape is compiled once)', async () => {
    const mine = await start();
    const otherContact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'shape@example.com' })).body.data.id;
    const theirs = (await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: otherContact })).body.data;
    await api(t, 'POST', `/api/v1/conversations/${theirs.id}/end`);
    const list = async (query: string) => ids(await api<Many>(t, 'GET', `/api/v1/conversations?limit=100&${query}`));
    expect(await list(`contact_id=${otherContact}&status=ended`)).toEqual([theirs.id]);
    expect(await list(`contact_id=${otherContact}&status=active`)).toEqual([]);
    expect(await list(`contact_id=${contactId}&status=active`)).toContain(mine.id);
    expect(await list(`contact_id=${contactId}&status=active`)).not.toContain(theirs.id);
    expect(await list(`contact_id=${otherContact}`)).toEqual([theirs.id]);
    const one = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&limit=1`);
    const two = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&limit=2`);
    expect(one.body.data).toHaveLength(1);
    expect(two.body.data).toHaveLength(2);
    const next = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&limit=1&cursor=${one.body.pagination.cursor}`);
    expect(ids(next)).toEqual([two.body.data[1].id]);
  });

  it('pages through every row once under a filter and a sort, and refuses a cursor made for another sort', async () => {
    for (let i = 0; i < 5; i++) await start({ title: `paging ${i}` });
    const all = await api<Many>(t, 'GET', '/api/v1/conversations?q=paging&sort=updated_at&order=asc&limit=100');
    expect(all.body.data).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Many } = await api<Many>(
        t,
        'GET',
        `/api/v1/conversations?q=paging&sort=updated_at&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...ids(page));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual(ids(all));
    const first = await api<Many>(t, 'GET', '/api/v1/conversations?q=paging&sort=updated_at&limit=2');
    const wrong = await api(t, 'GET', `/api/v1/conversations?q=paging&sort=created_at&limit=2&cursor=${first.body.pagination.cursor}`);
    expect(wrong.status).toBe(400);
  });

  it('filters by since and until on created_at or updated_at, accepting seed 002 offsets', async () => {
    const c = await start();
    const created = Date.parse(c.created_at);
    const before = new Date(created - 60_000).toISOString();
    const after = new Date(created + 60_000).toISOString();
    expect(ids(await api<Many>(t, 'GET', `/api/v1/conversations?since=${before}&limit=100`))).toContain(c.id);
    expect(ids(await api<Many>(t, 'GET', `/api/v1/conversations?since=${after}&limit=100`))).not.toContain(c.id);
    expect(ids(await api<Many>(t, 'GET', `/api/v1/conversations?until=${before}&limit=100`))).not.toContain(c.id);
    const offset = new Date(created - 60_000 + 7 * 3600_000).toISOString().replace('Z', '+0700').replace(/\.\d{3}/, '');
    const res = await api<Many>(t, 'GET', `/api/v1/conversations?since=${encodeURIComponent(offset)}&sort=updated_at&limit=100`);
    expect(res.status).toBe(200);
    expect(ids(res)).toContain(c.id);
    expect((await api(t, 'GET', '/api/v1/conversations?since=yesterday')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/conversations?sort=title')).status).toBe(400);
  });

  it('searches title, summary, message content, the contact and the agent with q', async () => {
    const other = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'someone@else.org', name: 'Bob' });
    const titled = await start({ title: 'Kaleidoscope order' });
    const summarised = await start();
    await api(t, 'PATCH', `/api/v1/conversations/${summarised.id}`, { summary: 'Customer asked about xylophones' });
    const talked = (await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: other.body.data.id })).body.data;
    await api(t, 'POST', `/api/v1/conversations/${talked.id}/messages`, { content: 'My parcel arrived damaged, the umbrellas are bent' });

    const q = async (text: string) => ids(await api<Many>(t, 'GET', `/api/v1/conversations?limit=100&q=${encodeURIComponent(text)}`));
    expect(await q('kaleidoscope')).toEqual([titled.id]);
    expect(await q('xylophone')).toEqual([summarised.id]);
    expect(await q('umbrella')).toEqual([talked.id]);
    expect(await q('damaged parcel')).toEqual([talked.id]);
    expect(await q('quartermaine')).toContain(titled.id);
    expect(await q('olivia@example')).toContain(titled.id);
    expect(await q('7946')).toContain(titled.id);
    expect(await q('Demo Support')).toContain(talked.id);
    expect(await q('zzzyyyxxx')).toEqual([]);
    expect((await api(t, 'GET', `/api/v1/conversations?q=${encodeURIComponent('%_"\'*()')}`)).status).toBe(200);
  });

  it('counts unread user messages and resets the count when a member opens the conversation', async () => {
    const c = await start();
    await api(t, 'POST', `/api/v1/conversations/${c.id}/messages`, { content: 'Hello?' });
    await api(t, 'POST', `/api/v1/conversations/${c.id}/messages`, { content: 'Anyone?' });
    const byKey = await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`);
    expect(byKey.body.data.unread_count).toBe(2);
    expect(byKey.body.data.turn_count).toBe(2);
    const listed = await api<Many>(t, 'GET', `/api/v1/conversations?limit=100`, undefined, admin.headers);
    expect(listed.body.data.find((x) => x.id === c.id)!.unread_count).toBe(2);
    const opened = await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`, undefined, admin.headers);
    expect(opened.body.data.unread_count).toBe(0);
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`)).body.data.unread_count).toBe(0);
  });

  it('includes the last three messages with include=recent_messages', async () => {
    const c = await start();
    for (const content of ['one', 'two']) await api(t, 'POST', `/api/v1/conversations/${c.id}/messages`, { content });
    const res = await api<One>(t, 'GET', `/api/v1/conversations/${c.id}?include=recent_messages`);
    expect(res.body.data.recent_messages!.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(res.body.data.recent_messages![1].content).toBe('two');
    const list = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${contactId}&include=recent_messages&limit=100`);
    expect(list.body.data.find((x) => x.id === c.id)!.recent_messages).toHaveLength(3);
    expect((await api<One>(t, 'GET', `/api/v1/conversations/${c.id}`)).body.data).not.toHaveProperty('recent_messages');
  });

  it('deletes every conversation of a contact, and lets only admins delete the contact itself', async () => {
    const doomed = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'doomed@example.com' });
    const conv = (await api<One>(t, 'POST', '/api/v1/conversations', { contact_id: doomed.body.data.id })).body.data;
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'hello' });
    const del = await api(t, 'DELETE', `/api/v1/contacts/${doomed.body.data.id}/conversations`);
    expect(del.status).toBe(204);
    expect((await api(t, 'GET', `/api/v1/conversations/${conv.id}`)).status).toBe(404);
    const left = await t.database.db.selectFrom('messages').select('id').where('conversation_id', '=', conv.id).execute();
    expect(left).toEqual([]);
    expect((await api(t, 'GET', `/api/v1/contacts/${doomed.body.data.id}`)).status).toBe(200);

    expect((await api(t, 'DELETE', `/api/v1/contacts/${doomed.body.data.id}`)).status).toBe(403);
    const agentMember = await loginAsAgentMember(t, admin);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${doomed.body.data.id}`, undefined, agentMember.headers)).status).toBe(403);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${doomed.body.data.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await api(t, 'GET', `/api/v1/contacts/${doomed.body.data.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${doomed.body.data.id}`, undefined, admin.headers)).status).toBe(404);
  });

  it('searches contacts with q and stores their profile fields', async () => {
    const res = await api<{ data: { id: number; first_name: string; organization_name: string } }>(t, 'POST', '/api/v1/contacts', {
      email: 'ada@analytical.example',
      first_name: 'Ada',
      last_name: 'Lovelace',
      organization_name: 'Analytical Engines Ltd',
      avatar_url: 'https://example.com/ada.png',
      external_id: 'crm-42',
    });
    expect(res.body.data).toMatchObject({ first_name: 'Ada', organization_name: 'Analytical Engines Ltd' });
    const found = await api<{ data: Array<{ id: number }> }>(t, 'GET', '/api/v1/contacts?q=lovelace');
    expect(found.body.data.map((c) => c.id)).toEqual([res.body.data.id]);
    expect((await api<{ data: unknown[] }>(t, 'GET', '/api/v1/contacts?q=analytical engines')).body.data).toHaveLength(1);
    expect((await api(t, 'POST', '/api/v1/contacts', { avatar_url: 'javascript:alert(1)' })).status).toBe(400);
  });
});
