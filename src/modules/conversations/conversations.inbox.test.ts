import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { VIEWS } from './conversations.queries.js';

interface Conversation {
  id: string;
  status: string;
  assignee_id: string | null;
  snoozed_until: string | null;
  created_at: string;
  last_message_at: string | null;
  contact?: { id: number; name: string | null; email: string | null } | null;
  last_message?: { id: number; role: string; content: string; author: { type: string; name: string | null }; created_at: string } | null;
}
type Many = { data: Conversation[]; pagination: { cursor: string | null; has_more: boolean } };
type Counts = Record<(typeof VIEWS)[number], number> & { views: Array<{ id: string; count: number }> };

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** Issue 16: the inbox's views, their counts, and a list page that embeds what its rows show. */
describe.each(DIALECTS)('inbox views, counts and includes on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let tom: TestSession;
  const ids: Record<string, string> = {};
  let contactId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const created = await createMember(t, { admin, name: 'Tom Agent' });
    tom = await login(t, created.email, created.password);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Olivia Quartermaine', email: 'olivia@example.com' });
    contactId = contact.body.data.id;
    const start = async (name: string) => {
      const res = await api<{ data: Conversation }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId });
      ids[name] = res.body.data.id;
      return res.body.data.id;
    };
    // plain: open, unassigned; mine: Tom's; waiting: handed off and unanswered; snoozed; ended.
    await start('plain');
    await api(t, 'POST', `/api/v1/conversations/${await start('mine')}/assign`, { member_id: tom.member.id });
    const waiting = await start('waiting');
    await api(t, 'POST', `/api/v1/conversations/${waiting}/messages`, { content: 'I need a person please' });
    await api(t, 'POST', `/api/v1/conversations/${waiting}/handoff`, {});
    await api(t, 'POST', `/api/v1/conversations/${waiting}/messages`, { content: 'Hello? Still there?' });
    await api(t, 'POST', `/api/v1/conversations/${await start('snoozed')}/snooze`, { until: inHours(4) });
    await api(t, 'POST', `/api/v1/conversations/${await start('ended')}/end`);
  });
  afterAll(async () => t.close());

  const list = (query: string, who: Record<string, string> = tom.headers) =>
    api<Many>(t, 'GET', `/api/v1/conversations?${query.includes('limit=') ? '' : 'limit=100&'}${query}`, undefined, who);
  const listIds = async (query: string, who?: Record<string, string>) => {
    const res = await list(query, who);
    expect(res.status, res.text).toBe(200);
    return res.body.data.map((c) => c.id);
  };

  it('shows each conversation in the views it belongs to', async () => {
    expect(new Set(await listIds('view=open'))).toEqual(new Set([ids.plain, ids.mine, ids.waiting]));
    expect(await listIds('view=mine')).toEqual([ids.mine]);
    expect(new Set(await listIds('view=unassigned'))).toEqual(new Set([ids.plain, ids.waiting]));
    expect(await listIds('view=waiting')).toEqual([ids.waiting]);
    expect(await listIds('view=snoozed')).toEqual([ids.snoozed]);
    expect(await listIds('view=ended')).toEqual([ids.ended]);
    expect((await listIds('view=all')).length).toBe(5);
    // Other filters narrow a view; contradicting it leaves nothing.
    expect(await listIds('view=open&assignee_id=me')).toEqual([ids.mine]);
    expect(await listIds('view=ended&status=active')).toEqual([]);
    expect(await listIds('view=all&priority=high')).toEqual([]);
  });

  it('counts every built-in view as its list shows it, in one answer', async () => {
    const res = await api<{ data: Counts }>(t, 'GET', '/api/v1/conversations/counts', undefined, tom.headers);
    expect(res.status, res.text).toBe(200);
    for (const view of VIEWS) expect(res.body.data[view], view).toBe((await listIds(`view=${view}`)).length);
    expect(res.body.data).toMatchObject({ open: 3, mine: 1, unassigned: 2, waiting: 1, snoozed: 1, ended: 1, all: 5, views: [] });
    // "Mine" is the caller's: the admin has none.
    expect((await api<{ data: Counts }>(t, 'GET', '/api/v1/conversations/counts', undefined, admin.headers)).body.data.mine).toBe(0);
    expect((await api(t, 'GET', '/api/v1/conversations/counts')).status).toBe(403);
  });

  it('refuses what it cannot list with a plain 400', async () => {
    for (const query of ['view=inbox', 'priority=extreme', 'snoozed=maybe', 'sort=activity', 'include=contact,avatar']) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    expect(errorOf(await list('include=contact,avatar')).message).toContain('recent_messages, contact, last_message');
    const key = await api(t, 'GET', '/api/v1/conversations?view=mine');
    expect(key.status).toBe(400);
    expect(errorOf(key).details).toHaveProperty('view');
  });

  it('embeds the contact and the last message of every row with include', async () => {
    const id = ids.plain;
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'x'.repeat(300) });
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Internal: refund approved', role: 'note' }, admin.headers);
    const asMember = (await list('include=contact,last_message&view=all')).body.data;
    const row = asMember.find((c) => c.id === id)!;
    expect(row.contact).toMatchObject({ id: contactId, name: 'Olivia Quartermaine', email: 'olivia@example.com' });
    expect(row.last_message).toMatchObject({ role: 'note', content: 'Internal: refund approved', author: { type: 'member' } });
    expect(Object.keys(row.last_message!).sort()).toEqual(['author', 'content', 'created_at', 'id', 'role']);
    expect(asMember.find((c) => c.id === ids.ended)!.last_message).toBeNull();

    // An API key never sees a note: the row shows the message before it, cut to 200 characters.
    const asKey = (await list('include=last_message,contact', t.auth)).body.data.find((c) => c.id === id)!;
    expect(asKey.last_message).toMatchObject({ role: 'assistant', author: { type: 'agent' } });
    const single = await api<{ data: Conversation & { recent_messages: Array<{ role: string; content: string }> } }>(
      t,
      'GET',
      `/api/v1/conversations/${id}?include=recent_messages,last_message`,
    );
    expect(single.status, single.text).toBe(200);
    expect(single.body.data.recent_messages.length).toBeGreaterThan(0);
    expect(single.body.data.recent_messages.some((m) => m.role === 'note')).toBe(false);
    expect(single.body.data.last_message).toMatchObject({ role: 'assistant' });
    const user = (await api<{ data: Array<{ role: string; content: string }> }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`)).body.data.find(
      (m) => m.content.startsWith('xxx'),
    );
    expect(user?.content.length).toBe(300);
    const cut = (await list('include=last_message&view=all', t.auth)).body.data.find((c) => c.id === ids.plain);
    expect(cut?.last_message?.content.length).toBeLessThanOrEqual(200);
    // Without include, nothing is embedded.
    expect((await list('view=all')).body.data[0]).not.toHaveProperty('contact');
  });

  it('reads a page with the same number of queries whatever its length', async () => {
    const executor = t.database.db.getExecutor();
    const original = executor.executeQuery.bind(executor);
    let queries = 0;
    executor.executeQuery = ((...args: Parameters<typeof original>) => {
      queries++;
      return original(...args);
    }) as typeof executor.executeQuery;
    const countFor = async (limit: number) => {
      queries = 0;
      const res = await list(`view=all&include=contact,last_message,recent_messages&limit=${limit}`, t.auth);
      expect(res.body.data.length).toBe(limit);
      return queries;
    };
    try {
      await countFor(1);
      const one = await countFor(1);
      // The page, its tags, recent messages, contacts and last messages: one query each.
      expect(one).toBeGreaterThanOrEqual(5);
      expect(await countFor(5)).toBe(one);
    } finally {
      executor.executeQuery = original;
    }
  });

  it('sorts by last activity: ending a conversation does not move it, a message does', async () => {
    const order = async () => (await listIds('view=all&sort=last_activity')).filter((id) => id !== ids.snoozed);
    const before = await order();
    await api(t, 'POST', `/api/v1/conversations/${ids.mine}/end`);
    expect(await order()).toEqual(before);
    await api(t, 'POST', `/api/v1/conversations/${ids.snoozed}/messages`, { content: 'Back again' });
    expect((await listIds('view=all&sort=last_activity'))[0]).toBe(ids.snoozed);
    await api(t, 'POST', `/api/v1/conversations/${ids.mine}/reopen`);
  });

  it('pages through last activity with the cursor, each conversation once', async () => {
    for (const order of ['desc', 'asc']) {
      const all = await listIds(`view=all&sort=last_activity&order=${order}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(`view=all&sort=last_activity&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status, page.text).toBe(200);
        seen.push(...page.body.data.map((c) => c.id));
        cursor = page.body.pagination.cursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
    const first = await list('view=all&sort=last_activity&limit=1');
    const reused = await list(`view=all&sort=created_at&limit=1&cursor=${first.body.pagination.cursor}`);
    expect(reused.status).toBe(400);
  });

  it('answers 404 for another account on every conversation route of the inbox', async () => {
    const other = await t.otherWorkspace();
    const foreign = await list('view=all', other.auth);
    expect(foreign.body.data).toEqual([]);
    for (const path of ['snooze', 'unsnooze', 'reopen']) {
      const res = await api(t, 'POST', `/api/v1/conversations/${ids.plain}/${path}`, path === 'snooze' ? { until: inHours(1) } : {}, other.auth);
      expect(res.status, path).toBe(404);
    }
    expect((await api(t, 'GET', `/api/v1/conversations/${ids.plain}?include=contact`, undefined, other.auth)).status).toBe(404);
  });
});
