import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createSnoozeWakeTask } from '../conversations/conversations.wake.task.js';

interface Notification {
  id: string;
  kind: 'assigned' | 'team_handoff' | 'message' | 'mention' | 'snooze_ended';
  conversation_id: string | null;
  conversation_title: string | null;
  actor_name: string | null;
  preview: string | null;
  created_at: string;
  read_at: string | null;
}
interface Bell {
  data: Notification[];
  pagination: { cursor: string | null; has_more: boolean };
  unread_count: number;
}

const PASSWORD = 'correct horse battery';

/** Issue 16: each member's bell, made from the event log. */
describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let maya: TestSession;
  let tom: TestSession;
  let priya: TestSession;
  let teamId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const people: TestSession[] = [];
    for (const [name, email] of [
      ['Maya Chen', 'maya@example.com'],
      ['Tom Becker', 'tom@example.com'],
      ['Priya Raman', 'priya@example.com'],
    ]) {
      const created = await api(t, 'POST', '/api/v1/members', { email, name, role: 'agent', password: PASSWORD }, admin.headers);
      expect(created.status, created.text).toBe(201);
      people.push(await login(t, email, PASSWORD));
    }
    [maya, tom, priya] = people;
    const team = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Support', member_ids: [maya.member.id, tom.member.id] }, admin.headers);
    teamId = team.body.data.id;
  });
  afterAll(async () => t.close());

  /** Runs the consumer as the background task would after a commit. */
  const notify = () => t.services.notificationsConsumer.run();
  const bell = async (who: TestSession, query = '') => {
    const res = await api<Bell>(t, 'GET', `/api/v1/notifications${query}`, undefined, who.headers);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const about = async (who: TestSession, conversationId: string) => (await bell(who, '?limit=100')).data.filter((n) => n.conversation_id === conversationId);
  async function conversation(name: string, title?: string): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id, ...(title ? { title } : {}) });
    return conv.body.data.id;
  }
  const assign = async (id: string, body: Record<string, unknown>, by: Record<string, string> = t.auth) => {
    const res = await api(t, 'POST', `/api/v1/conversations/${id}/assign`, body, by);
    expect(res.status, res.text).toBe(200);
  };
  const post = async (id: string, content: string, role: 'user' | 'note', by: Record<string, string> = t.auth) => {
    const res = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content, role }, by);
    expect(res.status, res.text).toBeLessThan(300);
  };

  it('refuses API keys, bad input and other members’ notifications, in the envelope', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/notifications'],
      ['POST', '/api/v1/notifications/0190a000-0000-7000-8000-000000000000/read'],
      ['POST', '/api/v1/notifications/read_all'],
    ] as const) {
      const res = await api(t, method, url, method === 'POST' ? {} : undefined);
      expect(res.status, url).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    for (const query of ['?limit=0', '?limit=101', '?cursor=nope!', '?unread=maybe', '?extra=1']) {
      const res = await api(t, 'GET', `/api/v1/notifications${query}`, undefined, maya.headers);
      expect(res.status, query).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    const badId = await api(t, 'POST', '/api/v1/notifications/not-an-id/read', {}, maya.headers);
    expect(badId.status).toBe(400);
    for (const body of [{ conversation_id: 'x' }, { everything: true }]) {
      expect((await api(t, 'POST', '/api/v1/notifications/read_all', body, maya.headers)).status).toBe(400);
    }
    const unknown = await api(t, 'POST', '/api/v1/notifications/0190a000-0000-7000-8000-000000000000/read', {}, maya.headers);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: 'NOT_FOUND', message: 'Notification not found' });
  });

  it('tells a member of a conversation assigned to them by someone else, not by themselves', async () => {
    const byTom = await conversation('Alice Martin', 'Where is my parcel?');
    await assign(byTom, { member_id: maya.member.id }, tom.headers);
    const self = await conversation('Bob Stone');
    await assign(self, { member_id: maya.member.id }, maya.headers);
    const byKey = await conversation('Chloé Dubois');
    await assign(byKey, { member_id: maya.member.id });
    // Taking a conversation over assigns it to oneself: nothing to be told.
    const taken = await conversation('Dan Okafor');
    expect((await api(t, 'POST', `/api/v1/conversations/${taken}/mode`, { mode: 'manual' }, maya.headers)).status).toBe(200);
    await notify();

    expect(await about(maya, byTom)).toEqual([
      expect.objectContaining({ kind: 'assigned', actor_name: 'Tom Becker', conversation_title: 'Where is my parcel?', preview: null, read_at: null }),
    ]);
    expect(await about(maya, self)).toEqual([]);
    expect(await about(maya, taken)).toEqual([]);
    // An integration's key has no name to give; the conversation without a title goes by its contact.
    expect(await about(maya, byKey)).toEqual([expect.objectContaining({ kind: 'assigned', actor_name: null, conversation_title: 'Chloé Dubois' })]);
    expect(await about(tom, byTom)).toEqual([]);
  });

  it("tells a team's other members of a conversation handed to it, not the one who handed it", async () => {
    // Routed to the team while the AI answers: nobody waits for a person yet.
    const id = await conversation('Erin Walsh');
    await assign(id, { team_id: teamId });
    await notify();
    expect(await about(maya, id)).toEqual([]);

    const handed = await api(t, 'POST', `/api/v1/conversations/${id}/handoff`, { reason: 'Wants a refund' }, tom.headers);
    expect(handed.status, handed.text).toBe(200);
    await notify();
    expect(await about(maya, id)).toEqual([expect.objectContaining({ kind: 'team_handoff', actor_name: 'Tom Becker', preview: 'Wants a refund' })]);
    expect(await about(tom, id)).toEqual([]);
    expect(await about(priya, id)).toEqual([]);

    // Moved by hand into a team's queue (waiting for a person): the team is told as well.
    const queued = await conversation('Fay Wong');
    expect((await api(t, 'POST', `/api/v1/conversations/${queued}/mode`, { mode: 'manual' })).status).toBe(200);
    await assign(queued, { team_id: teamId }, priya.headers);
    await notify();
    for (const member of [maya, tom]) {
      expect(await about(member, queued)).toEqual([expect.objectContaining({ kind: 'team_handoff', actor_name: 'Priya Raman' })]);
    }

    // With no team to go to, the whole workspace is the team.
    const teamless = await conversation('Gil Amar');
    expect((await api(t, 'POST', `/api/v1/conversations/${teamless}/handoff`, {}, maya.headers)).status).toBe(200);
    await notify();
    for (const member of [tom, priya, admin]) {
      expect(await about(member, teamless)).toEqual([expect.objectContaining({ kind: 'team_handoff', actor_name: 'Maya Chen', preview: null })]);
    }
    expect(await about(maya, teamless)).toEqual([]);
  });

  it("tells the assignee of the contact's messages, one unread notification per conversation", async () => {
    const id = await conversation('Gus Grant');
    await assign(id, { member_id: maya.member.id }, admin.headers);
    await post(id, 'My order #1042 never arrived', 'user');
    await post(id, 'Hello? '.repeat(40), 'user');
    await notify();
    const messages = (await about(maya, id)).filter((n) => n.kind === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0].actor_name).toBe('Gus Grant');
    expect(messages[0].preview).toHaveLength(140);
    expect(messages[0].preview!.startsWith('Hello? Hello?')).toBe(true);
    expect(messages[0].preview!.endsWith('…')).toBe(true);

    // Once read, the next message is news again.
    expect((await api(t, 'POST', `/api/v1/notifications/${messages[0].id}/read`, {}, maya.headers)).status).toBe(200);
    await post(id, 'Still waiting', 'user');
    await notify();
    const after = (await about(maya, id)).filter((n) => n.kind === 'message');
    expect(after.map((n) => [n.preview, n.read_at === null])).toEqual([
      ['Still waiting', true],
      [messages[0].preview, false],
    ]);
    expect(await about(tom, id)).toEqual([]);
  });

  it('tells members mentioned in a note by first or full name, never its author nor non-members', async () => {
    const id = await conversation('Hana Ito');
    await post(id, '@maya can you check this? @TomBecker and @nobody too, mail tom@example.com', 'note', tom.headers);
    await post(id, 'Thanks @Tom, on it. @priyaraman fyi', 'note', maya.headers);
    // Words that only begin with a name mention nobody.
    await post(id, '@mayabelle @tomorrow', 'note', admin.headers);
    await notify();
    expect(await about(maya, id)).toEqual([expect.objectContaining({ kind: 'mention', actor_name: 'Tom Becker', preview: expect.stringMatching(/^@maya can you/) })]);
    expect(await about(tom, id)).toEqual([expect.objectContaining({ kind: 'mention', actor_name: 'Maya Chen' })]);
    expect(await about(priya, id)).toEqual([expect.objectContaining({ kind: 'mention', actor_name: 'Maya Chen' })]);
  });

  it('tells the assignee, else the team, when a snooze runs out; a contact waking it is told as a message', async () => {
    const mine = await conversation('Snoozy Sam', 'Call back tomorrow');
    const teams = await conversation('Queued Quinn');
    const replied = await conversation('Eager Eve');
    await assign(mine, { member_id: maya.member.id });
    await assign(teams, { team_id: teamId });
    await assign(replied, { member_id: tom.member.id });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    for (const id of [mine, teams, replied]) {
      const res = await api(t, 'POST', `/api/v1/conversations/${id}/snooze`, { until }, admin.headers);
      expect(res.status, res.text).toBe(200);
    }
    await post(replied, 'Any news?', 'user');
    const wake = createSnoozeWakeTask({
      database: t.database,
      eventLog: t.services.eventLog,
      presentConversation: (accountId, id, trx) => t.services.conversations.presentStored(accountId, id, trx),
    });
    expect(await wake.run(new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(2);
    await notify();

    // Besides what the assignments told them, only the snoozes their time ended.
    const kinds = async (who: TestSession, id: string) => (await about(who, id)).map((n) => n.kind).filter((k) => k !== 'assigned' && k !== 'team_handoff');
    expect(await kinds(maya, mine)).toEqual(['snooze_ended']);
    expect(await kinds(tom, mine)).toEqual([]);
    expect(await kinds(maya, teams)).toEqual(['snooze_ended']);
    expect(await kinds(tom, teams)).toEqual(['snooze_ended']);
    expect(await kinds(priya, teams)).toEqual([]);
    expect(await kinds(tom, replied)).toEqual(['message']);
  });

  it('marks one, one conversation’s or all read, with the unread count; others’ are 404', async () => {
    const first = await conversation('Ivy Park');
    const second = await conversation('Jon Snow');
    for (const id of [first, second]) await post(id, 'Ping @priya', 'note', tom.headers);
    await post(first, 'Again @priya', 'note', maya.headers);
    await notify();
    const before = await bell(priya, '?unread=true&limit=100');
    expect(before.unread_count).toBe(before.data.length);
    expect(before.unread_count).toBeGreaterThanOrEqual(3);

    const one = before.data.find((n) => n.conversation_id === second)!;
    for (const stranger of [maya, admin]) {
      const res = await api(t, 'POST', `/api/v1/notifications/${one.id}/read`, {}, stranger.headers);
      expect(res.status).toBe(404);
    }
    const other = await t.otherWorkspace();
    const foreign = await login(t, other.adminEmail, other.adminPassword);
    expect((await api(t, 'POST', `/api/v1/notifications/${one.id}/read`, {}, foreign.headers)).status).toBe(404);
    expect((await bell(foreign)).data).toEqual([]);

    const read = await api<{ data: Notification; unread_count: number }>(t, 'POST', `/api/v1/notifications/${one.id}/read`, {}, priya.headers);
    expect(read.status).toBe(200);
    expect(read.body.data.read_at).not.toBeNull();
    expect(read.body.unread_count).toBe(before.unread_count - 1);
    // Reading again keeps when it was first read.
    const again = await api<{ data: Notification }>(t, 'POST', `/api/v1/notifications/${one.id}/read`, {}, priya.headers);
    expect(again.body.data.read_at).toBe(read.body.data.read_at);

    const conv = await api<{ data: { marked: number; unread_count: number } }>(t, 'POST', '/api/v1/notifications/read_all', { conversation_id: first }, priya.headers);
    expect(conv.body.data).toEqual({ marked: 2, unread_count: before.unread_count - 3 });
    expect((await bell(priya, '?unread=true&limit=100')).data.some((n) => n.conversation_id === first)).toBe(false);

    const all = await api<{ data: { marked: number; unread_count: number } }>(t, 'POST', '/api/v1/notifications/read_all', undefined, priya.headers);
    expect(all.body.data).toEqual({ marked: before.unread_count - 3, unread_count: 0 });
    const after = await bell(priya);
    expect(after.unread_count).toBe(0);
    expect(after.data.length).toBeGreaterThanOrEqual(3);
    expect((await bell(priya, '?unread=true')).data).toEqual([]);
  });

  it('pages newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const all = (await bell(maya, '?limit=100')).data;
    expect(all.length).toBeGreaterThan(3);
    do {
      const page: Bell = await bell(maya, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.unread_count).toBe(all.filter((n) => n.read_at === null).length);
      seen.push(...page.data.map((n) => n.id));
      cursor = page.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((n) => n.id));
    const times = all.map((n) => n.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('makes each notification once when the same events are handled twice', async () => {
    const id = await conversation('Kim Lee');
    await assign(id, { member_id: tom.member.id }, maya.headers);
    await post(id, 'Hi @tom', 'note', maya.headers);
    await notify();
    const count = async () => Number((await t.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const tomsBefore = await about(tom, id);
    expect(tomsBefore.map((n) => n.kind).sort()).toEqual(['assigned', 'mention']);
    // As after a crash before the checkpoint moved: the whole log is read again.
    await t.database.db.updateTable('event_consumers').set({ last_event_id: 0 }).where('name', '=', 'notifications').execute();
    expect(await notify()).toBe(0);
    expect(await count()).toBe(before);
    expect(await about(tom, id)).toEqual(tomsBefore);
  });

  it('gives an agent member only their own', async () => {
    const agent = await loginAsAgentMember(t, admin);
    expect(await bell(agent)).toEqual({ data: [], pagination: { cursor: null, has_more: false }, unread_count: 0 });
  });
});
