import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import type { OperatorFigures } from './analytics.members.js';

type Team = OperatorFigures & { member_ids: string[] };
type Result = { data: { members?: OperatorFigures[]; teams?: Team[]; totals: unknown } };
type Auth = Record<string, string>;

const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const at = (hms: string) => `${yesterday}T${hms}.000Z`;
const idle = { conversations_handled: 0, median_first_response_seconds: null, median_resolution_seconds: null, csat: { count: 0, average: null } };

describe.each(DIALECTS)('analytics per member on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let ann: TestSession;
  let bob: TestSession;
  let cidId: string;
  const get = (query: string, auth: Auth = t.auth) => api<Result>(t, 'GET', `/api/v1/analytics${query}`, undefined, auth);
  const byName = (list: OperatorFigures[] | undefined, name: string) => list?.find((x) => x.name === name);

  /** A conversation of a new contact, with the contact's first message. */
  async function conversation(email: string): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email });
    const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const id = res.body.data.id;
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?', role: 'user' })).status).toBe(201);
    return id;
  }
  const reply = async (who: TestSession, id: string) =>
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Here to help', role: 'operator' }, who.headers)).status).toBe(201);

  /** Moves a conversation's times (and its user and operator messages', in order) to known ones. */
  async function place(id: string, p: { created: string; users: string[]; operators: string[]; handoff: string | null; ended?: string; csat?: number }) {
    const db = t.database.db;
    await db
      .updateTable('conversations')
      .set({
        created_at: p.created,
        handoff_at: p.handoff,
        csat_rating: p.csat ?? null,
        csat_at: p.csat ? p.ended : null,
        ...(p.ended ? { status: 'ended', ended_at: p.ended, end_reason: 'ended' } : {}),
      })
      .where('id', '=', id)
      .execute();
    const messages = await db.selectFrom('messages').select(['id', 'role']).where('conversation_id', '=', id).orderBy('id').execute();
    const times = { user: [...p.users], operator: [...p.operators] };
    for (const m of messages) {
      const time = m.role === 'user' ? times.user.shift() : m.role === 'operator' ? times.operator.shift() : undefined;
      if (time) await db.updateTable('messages').set({ created_at: time }).where('id', '=', m.id).execute();
    }
    expect(times).toEqual({ user: [], operator: [] });
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const a = await createMember(t, { name: 'Ann Operator', admin });
    const b = await createMember(t, { name: 'Bob Operator', admin });
    cidId = (await createMember(t, { name: 'Cid Operator', admin })).member.id;
    ann = await login(t, a.email, a.password);
    bob = await login(t, b.email, b.password);
    const team = (name: string, member_ids: string[]) => api(t, 'POST', '/api/v1/teams', { name, member_ids });
    expect((await team('Billing', [a.member.id, cidId])).status).toBe(201);
    expect((await team('Night', [a.member.id, b.member.id])).status).toBe(201);
    expect((await team('Empty', [])).status).toBe(201);

    // P: handed off at 10:01, Ann answers at 10:05 (240 s); ended after an hour, rated 5.
    const p = await conversation('p@example.com');
    await reply(ann, p);
    await place(p, { created: at('10:00:00'), users: [at('10:00:00')], operators: [at('10:05:00')], handoff: at('10:01:00'), ended: at('11:00:00'), csat: 5 });
    // Q: no handoff; Ann answers the contact's first message after 600 s, Bob later; ended after 1800 s, rated 3.
    const q = await conversation('q@example.com');
    await reply(ann, q);
    await reply(bob, q);
    await place(q, { created: at('12:00:00'), users: [at('12:00:00')], operators: [at('12:10:00'), at('12:20:00')], handoff: null, ended: at('12:30:00'), csat: 3 });
    // R: handed off at 14:00:30, Bob answers at 14:02:30 (120 s); still open.
    const r = await conversation('r@example.com');
    await reply(bob, r);
    await place(r, { created: at('14:00:00'), users: [at('14:00:00')], operators: [at('14:02:30')], handoff: at('14:00:30') });
    // S: assigned to Ann by the admin, never answered; ended after two hours, rated 4.
    const s = await conversation('s@example.com');
    expect((await api(t, 'POST', `/api/v1/conversations/${s}/assign`, { member_id: a.member.id }, admin.headers)).status).toBe(200);
    await place(s, { created: at('16:00:00'), users: [at('16:00:00')], operators: [], handoff: null, ended: at('18:00:00'), csat: 4 });

    // Another workspace's operator work never shows.
    const other = await t.otherWorkspace();
    const theirAdmin = await login(t, other.adminEmail, other.adminPassword);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'x@example.com' }, other.auth);
    const theirs = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id }, other.auth);
    await api(t, 'POST', `/api/v1/conversations/${theirs.body.data.id}/messages`, { content: 'Hi', role: 'operator' }, theirAdmin.headers);
  });
  afterAll(async () => t.close());

  it('gives each member their conversations handled, medians and CSAT', async () => {
    const res = await get('?group_by=member&days=7');
    expect(res.status, res.text).toBe(200);
    const { members } = res.body.data;
    // First responses 240 and 600 s; resolutions 3600, 1800 and 7200 s; ratings 5, 3 and 4.
    expect(byName(members, 'Ann Operator')).toMatchObject({
      conversations_handled: 3,
      median_first_response_seconds: 420,
      median_resolution_seconds: 3600,
      csat: { count: 3, average: 4 },
    });
    // Q's first reply was Ann's, so only R's counts for Bob.
    expect(byName(members, 'Bob Operator')).toMatchObject({
      conversations_handled: 2,
      median_first_response_seconds: 120,
      median_resolution_seconds: 1800,
      csat: { count: 1, average: 3 },
    });
  });

  it('lists members with nothing handled, with zeros and nulls', async () => {
    const { members } = (await get('?group_by=member')).body.data;
    expect(members?.map((m) => m.name)).toEqual([...(members ?? []).map((m) => m.name)].sort());
    expect(members).toHaveLength(4);
    expect(byName(members, 'Cid Operator')).toEqual({ id: cidId, name: 'Cid Operator', ...idle });
    expect(members?.find((m) => m.id === admin.member.id)).toMatchObject(idle);
  });

  it('counts a team’s conversations once, however many of its members handled them', async () => {
    const { teams } = (await get('?group_by=member')).body.data;
    expect(teams?.map((x) => x.name)).toEqual(['Billing', 'Empty', 'Night']);
    expect(byName(teams, 'Billing')).toMatchObject({
      conversations_handled: 3,
      median_first_response_seconds: 420,
      median_resolution_seconds: 3600,
      csat: { count: 3, average: 4 },
    });
    expect(byName(teams, 'Night')).toMatchObject({
      conversations_handled: 4,
      median_first_response_seconds: 240,
      median_resolution_seconds: 3600,
      csat: { count: 3, average: 4 },
    });
    expect(byName(teams, 'Empty')).toMatchObject({ ...idle, member_ids: [] });
  });

  it('keeps the plain response without group_by, and the same totals with it', async () => {
    const plain = (await get('?days=7')).body.data;
    expect(plain).not.toHaveProperty('members');
    expect(plain).not.toHaveProperty('teams');
    expect((await get('?days=7&group_by=member')).body.data.totals).toEqual(plain.totals);
  });

  it('counts nothing outside the range or of another agent', async () => {
    const today = (await get('?group_by=member&days=1')).body.data;
    // Only the assignments (recorded today) fall in today: conversations still count, times do not.
    expect(byName(today.members, 'Bob Operator')).toMatchObject({ median_first_response_seconds: null, median_resolution_seconds: null });
    const agent = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Other bot' }, admin.headers);
    const theirs = (await get(`?group_by=member&agent_id=${agent.body.data.id}`)).body.data;
    for (const m of theirs.members ?? []) expect(m).toMatchObject(idle);
  });

  it('lets any member or API key of the account read it, and only its own members', async () => {
    const agentMember = await loginAsAgentMember(t, admin);
    const byKey = await get('?group_by=member');
    expect((await get('?group_by=member', agentMember.headers)).body).toEqual(byKey.body);
    expect((await get('?group_by=member', ann.headers)).body).toEqual(byKey.body);
    expect((await get('?group_by=member', {})).status).toBe(401);
    const other = await t.otherWorkspace();
    const theirs = (await get('?group_by=member', other.auth)).body.data;
    expect(theirs.members?.some((m) => m.name.endsWith('Operator'))).toBe(false);
  });

  it('refuses an unknown grouping with a plain 400', async () => {
    for (const q of ['?group_by=team', '?group_by=', '?group_by=MEMBER']) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(errorOf(res)).toEqual({ code: 'BAD_REQUEST', message: 'group_by must be one of: member', details: { group_by: ['must be one of: member'] } });
    }
  });
});
