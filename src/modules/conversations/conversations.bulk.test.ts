import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Conversation {
  id: string;
  status: string;
  assignee_id: string | null;
  tags: string[];
  priority: string;
  state_id: string | null;
  snoozed_until: string | null;
}
type Result = { id: string; ok: true; conversation: Conversation } | { id: string; ok: false; error: { code: string; message: string } };
type Bulk = { data: { results: Result[] } };

const UNKNOWN = '0190a000-0000-7000-8000-000000000000';
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** Issue 16: one action on many conversations, each through its own route's rules. */
describe.each(DIALECTS)('bulk actions on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let tom: TestSession;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const m = await createMember(t, { admin, name: 'Tom' });
    tom = await login(t, m.email, m.password);
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {})).body.data.id;
  });
  afterAll(async () => t.close());

  async function start(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id);
    return ids;
  }
  const bulk = (body: unknown, who: Record<string, string> = tom.headers) => api<Bulk>(t, 'POST', '/api/v1/conversations/bulk', body, who);
  const eventCount = async (type: string, ids: string[]) => {
    let n = 0;
    let after = 0;
    for (;;) {
      const res = await api<{ data: Array<{ id: number; data: { conversation: { id: string } } }> }>(t, 'GET', `/api/v1/events?after=${after}&limit=100&type=${type}`);
      n += res.body.data.filter((e) => ids.includes(e.data.conversation.id)).length;
      if (res.body.data.length < 100) return n;
      after = Number(res.body.data[res.body.data.length - 1].id);
    }
  };

  it('refuses a malformed request whole, changing nothing', async () => {
    const [id] = await start(1);
    const cases: Array<[unknown, number]> = [
      [{ ids: [], action: 'end' }, 400],
      [{ ids: Array.from({ length: 101 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`), action: 'end' }, 400],
      [{ ids: [id, id], action: 'end' }, 400],
      [{ ids: ['not-an-id'], action: 'end' }, 400],
      [{ ids: [id], action: 'archive' }, 422],
      [{ ids: [id], action: 'set_priority', value: 'extreme' }, 422],
      [{ ids: [id], action: 'assign' }, 422],
      [{ ids: [id], action: 'assign', value: UNKNOWN }, 422],
      [{ ids: [id], action: 'set_state', value: UNKNOWN }, 422],
      [{ ids: [id], action: 'tag', value: '   ' }, 422],
      [{ ids: [id], action: 'end', value: 'now' }, 422],
      [{ ids: [id], action: 'snooze', value: inHours(-2) }, 422],
      [{ ids: [id], action: 'snooze', value: 'next week' }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await bulk(body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(status);
      expect(['BAD_REQUEST', 'UNPROCESSABLE_ENTITY']).toContain(errorOf(res).code);
    }
    expect(errorOf(await bulk({ ids: [id], action: 'archive' })).message).toContain('assign, tag, untag');
    const key = await bulk({ ids: [id], action: 'assign', value: 'me' }, t.auth);
    expect(key.status).toBe(422);
    const after = await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`);
    expect(after.body.data).toMatchObject({ status: 'active', priority: 'normal', assignee_id: null, snoozed_until: null });
  });

  it('assigns 50 conversations and reports the unknown one on its own', async () => {
    const ids = await start(49);
    const other = await t.otherWorkspace();
    const foreign = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/contacts', {}, other.auth)).body.data;
    const theirs = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: foreign.id }, other.auth)).body.data.id;
    const res = await bulk({ ids: [...ids.slice(0, 20), UNKNOWN, ...ids.slice(20), theirs], action: 'assign', value: 'me' });
    expect(res.status, res.text).toBe(200);
    const results = res.body.data.results;
    expect(results).toHaveLength(51);
    expect(results.map((r) => r.id)).toEqual([...ids.slice(0, 20), UNKNOWN, ...ids.slice(20), theirs]);
    for (const r of results) {
      if (r.id === UNKNOWN || r.id === theirs) expect(r).toEqual({ id: r.id, ok: false, error: { code: 'NOT_FOUND', message: 'Conversation not found' } });
      else expect(r.ok && r.conversation.assignee_id, r.id).toBe(tom.member.id);
    }
    // Each through the assign use case: one conversation.assigned apiece, and nothing for the other account.
    expect(await eventCount('conversation.assigned', ids)).toBe(49);
    const untouched = await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${theirs}`, undefined, other.auth);
    expect(untouched.body.data.assignee_id).toBeNull();
  });

  it('tags, sets state and priority, snoozes, ends and reopens, with the single routes\' rules', async () => {
    const ids = await start(3);
    const state = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversation_states', { name: 'Escalated', color: '#ff0000' }, admin.headers);
    const ok = async (action: string, value?: string | null, on = ids) => {
      const res = await bulk(value === undefined ? { ids: on, action } : { ids: on, action, value });
      expect(res.status, res.text).toBe(200);
      return res.body.data.results;
    };
    const conversations = (results: Result[]) => results.map((r) => (r.ok ? r.conversation : null));
    expect(conversations(await ok('tag', ' VIP  customer ')).every((c) => c?.tags.includes('vip customer'))).toBe(true);
    expect(conversations(await ok('untag', 'vip customer')).every((c) => c?.tags.length === 0)).toBe(true);
    expect(conversations(await ok('set_state', state.body.data.id)).every((c) => c?.state_id === state.body.data.id)).toBe(true);
    expect(conversations(await ok('set_state', null)).every((c) => c?.state_id === null)).toBe(true);
    expect(conversations(await ok('set_priority', 'urgent')).every((c) => c?.priority === 'urgent')).toBe(true);
    const until = inHours(6);
    expect(conversations(await ok('snooze', until)).every((c) => c?.snoozed_until === until)).toBe(true);
    expect(await eventCount('conversation.snoozed', ids)).toBe(3);
    expect(conversations(await ok('unsnooze')).every((c) => c?.snoozed_until === null)).toBe(true);
    expect(await eventCount('conversation.unsnoozed', ids)).toBe(3);

    // One already ended: the end is refused for it alone, as POST /end would.
    await api(t, 'POST', `/api/v1/conversations/${ids[0]}/end`);
    const ended = await ok('end');
    expect(ended[0]).toMatchObject({ ok: false, error: { code: 'UNPROCESSABLE_ENTITY' } });
    expect(conversations(ended.slice(1)).every((c) => c?.status === 'ended')).toBe(true);
    expect(await eventCount('conversation.ended', ids)).toBe(3);
    const snoozeEnded = await ok('snooze', inHours(1));
    expect(snoozeEnded.every((r) => !r.ok && r.error.code === 'UNPROCESSABLE_ENTITY')).toBe(true);
    const reopened = await ok('reopen');
    expect(conversations(reopened).every((c) => c?.status === 'active')).toBe(true);
    expect(await eventCount('conversation.reopened', ids)).toBe(3);
    expect((await ok('reopen')).every((r) => !r.ok && r.error.code === 'UNPROCESSABLE_ENTITY')).toBe(true);
    expect(conversations(await ok('assign', null)).every((c) => c?.assignee_id === null)).toBe(true);
  });
});
