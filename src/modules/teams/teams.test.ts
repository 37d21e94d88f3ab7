import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Team {
  id: string;
  name: string;
  member_ids: string[];
  auto_assign: boolean;
  max_open_per_member: number;
}
interface Conversation {
  id: string;
  mode: string;
  assignee_id: string | null;
  team_id: string | null;
}

/** Issue 15: teams, and who gets a conversation when it reaches one. */
describe.each(DIALECTS)('teams and auto-assignment on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agentMember: TestSession;
  const people: TestSession[] = [];
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    agentMember = await loginAsAgentMember(t, admin);
    for (const name of ['Ana', 'Ben', 'Cy']) {
      const email = `${name.toLowerCase()}@example.com`;
      await api(t, 'POST', '/api/v1/members', { email, name, role: 'agent', password: 'correct horse battery' }, admin.headers);
      people.push(await login(t, email, 'correct horse battery'));
    }
  });
  afterAll(async () => t.close());

  const createTeam = async (body: Record<string, unknown>) => api<{ data: Team }>(t, 'POST', '/api/v1/teams', body, admin.headers);
  const setAvailability = (who: TestSession, availability: string) => api(t, 'POST', '/api/v1/me/availability', { availability }, who.headers);
  /** A conversation the AI hands to the team: manual mode, then moved to the team (by the API key, which assigns nobody). */
  async function handedTo(teamId: string): Promise<Conversation> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/mode`, { mode: 'manual' });
    const moved = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/assign`, { team_id: teamId });
    expect(moved.status, moved.text).toBe(200);
    return moved.body.data;
  }
  const view = async (id: string) => (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;

  it('creates, lists, changes and deletes teams; admins and API keys manage them, anyone reads them', async () => {
    const created = await createTeam({ name: ' Billing ', member_ids: [people[0].member.id], max_open_per_member: 3 });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'Billing', member_ids: [people[0].member.id], auto_assign: false, max_open_per_member: 3 });
    const id = created.body.data.id;
    expect((await createTeam({ name: 'Billing' })).status).toBe(409);
    const unknown = await createTeam({ name: 'Ghosts', member_ids: ['0190a000-0000-7000-8000-000000000000'] });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown).details).toHaveProperty('member_ids');
    for (const bad of [{ name: '' }, { name: 'x', max_open_per_member: -1 }, { name: 'x', member_ids: 'all' }, { name: 'x', extra: 1 }]) {
      expect((await createTeam(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api(t, 'POST', '/api/v1/teams', { name: 'Mine' }, agentMember.headers)).status).toBe(403);
    expect((await api(t, 'GET', `/api/v1/teams/${id}`, undefined, agentMember.headers)).status).toBe(200);
    const byKey = await api<{ data: Team }>(t, 'PATCH', `/api/v1/teams/${id}`, { member_ids: [people[1].member.id, people[0].member.id], auto_assign: true });
    expect(byKey.body.data.member_ids.sort()).toEqual([people[0].member.id, people[1].member.id].sort());
    expect(byKey.body.data.auto_assign).toBe(true);
    const list = await api<{ data: Team[] }>(t, 'GET', '/api/v1/teams?limit=100');
    expect(list.body.data.map((x) => x.id)).toContain(id);
    const other = await t.otherWorkspace();
    expect((await api(t, 'GET', `/api/v1/teams/${id}`, undefined, other.auth)).status).toBe(404);

    // Deleting a team leaves its conversations and channels without one.
    const conv = await handedTo(id);
    const channel = await api<{ data: { id: string; default_team_id: string | null } }>(t, 'POST', '/api/v1/channels', { name: 'Chat', type: 'api', default_team_id: id });
    expect(channel.body.data.default_team_id).toBe(id);
    expect((await api(t, 'DELETE', `/api/v1/teams/${id}`)).status).toBe(204);
    expect((await view(conv.id)).team_id).toBeNull();
    expect((await api<{ data: { default_team_id: string | null } }>(t, 'GET', `/api/v1/channels/${channel.body.data.id}`)).body.data.default_team_id).toBeNull();
    expect((await api(t, 'GET', `/api/v1/teams/${id}`)).status).toBe(404);
    expect((await api(t, 'POST', '/api/v1/channels', { name: 'Bad', type: 'api', default_team_id: id })).status).toBe(422);
  });

  it('gives a waiting conversation to the online member with the fewest open ones, and says so', async () => {
    const team = (await createTeam({ name: 'Support', member_ids: people.map((p) => p.member.id), auto_assign: true, max_open_per_member: 2 })).body.data;
    await setAvailability(people[0], 'online');
    await setAvailability(people[1], 'online');
    await setAvailability(people[2], 'offline');
    const first = await handedTo(team.id);
    const second = await handedTo(team.id);
    const owners = [first.assignee_id, second.assignee_id];
    // One each (fewest open), never the offline member.
    expect(owners.sort()).toEqual([people[0].member.id, people[1].member.id].sort());
    const events = await api<{ data: Array<{ data: { conversation: { id: string }; assignment: { assignee_id: string; team_id: string; reason: string } } }> }>(
      t,
      'GET',
      '/api/v1/events?after=0&limit=100&type=conversation.assigned',
    );
    const auto = events.body.data.find((e) => e.data.conversation.id === first.id && e.data.assignment.reason === 'auto');
    expect(auto!.data.assignment).toEqual({ assignee_id: first.assignee_id, team_id: team.id, reason: 'auto' });

    // At capacity (2 each), the fifth waits in the queue, oldest first, until someone has room.
    const third = await handedTo(team.id);
    const fourth = await handedTo(team.id);
    expect([third.assignee_id, fourth.assignee_id].every((a) => a !== null)).toBe(true);
    const fifth = await handedTo(team.id);
    const sixth = await handedTo(team.id);
    expect(fifth.assignee_id).toBeNull();
    expect(sixth.assignee_id).toBeNull();
    // Cy comes online: the oldest waiting goes to them first.
    await setAvailability(people[2], 'online');
    expect((await view(fifth.id)).assignee_id).toBe(people[2].member.id);
    expect((await view(sixth.id)).assignee_id).toBe(people[2].member.id);
    const seventh = await handedTo(team.id);
    expect(seventh.assignee_id).toBeNull();
    // A conversation ends: its assignee has room, and the queue moves.
    await api(t, 'POST', `/api/v1/conversations/${first.id}/end`);
    expect((await view(seventh.id)).assignee_id).toBe(first.assignee_id);
    // Nobody went over capacity.
    const open = await t.database.db
      .selectFrom('conversations')
      .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('team_id', '=', team.id)
      .where('status', '=', 'active')
      .where('assignee_id', 'is not', null)
      .groupBy('assignee_id')
      .execute();
    expect(open.every((r) => Number(r.n) <= 2)).toBe(true);
  });

  it('counts a member whose inbox stopped saying "online" as away', async () => {
    const team = (await createTeam({ name: 'Night shift', member_ids: [people[0].member.id], auto_assign: true })).body.data;
    await setAvailability(people[0], 'online');
    await t.database.db.updateTable('members').set({ availability_at: new Date(Date.now() - 11 * 60_000).toISOString() }).where('id', '=', people[0].member.id).execute();
    const directory = await api<{ data: Array<{ id: string; availability: string }> }>(t, 'GET', '/api/v1/members/directory?limit=100', undefined, agentMember.headers);
    expect(directory.body.data.find((m) => m.id === people[0].member.id)!.availability).toBe('away');
    const waiting = await handedTo(team.id);
    expect(waiting.assignee_id).toBeNull();
    // Saying "online" again serves the waiting conversation at once.
    await setAvailability(people[0], 'online');
    expect((await view(waiting.id)).assignee_id).toBe(people[0].member.id);
    expect((await api(t, 'POST', '/api/v1/me/availability', { availability: 'busy' }, people[0].headers)).status).toBe(400);
    expect((await api(t, 'POST', '/api/v1/me/availability', { availability: 'online' })).status).toBe(403);
  });

  it('serves a queue nothing announced in its periodic sweep', async () => {
    const team = (await createTeam({ name: 'Sweep', member_ids: [people[2].member.id], auto_assign: true })).body.data;
    await setAvailability(people[2], 'offline');
    const waiting = await handedTo(team.id);
    expect(waiting.assignee_id).toBeNull();
    // Online as another process would have recorded it: no pass ran here.
    await t.database.db.updateTable('members').set({ availability: 'online', availability_at: new Date().toISOString() }).where('id', '=', people[2].member.id).execute();
    expect((await view(waiting.id)).assignee_id).toBeNull();
    expect(await t.services.assigner.sweep(t.database.db)).toBeGreaterThanOrEqual(1);
    expect((await view(waiting.id)).assignee_id).toBe(people[2].member.id);
  });

  it('routes a handed-off conversation to its channel’s default team, and filters by team and by "me"', async () => {
    const team = (await createTeam({ name: 'Web', member_ids: [people[1].member.id], auto_assign: true })).body.data;
    await setAvailability(people[1], 'online');
    const channel = await api<{ data: { public_key: string } }>(t, 'POST', '/api/v1/channels', { name: 'Site chat', type: 'web_widget', default_team_id: team.id });
    const session = await api<{ data: { visitor_token: string } }>(t, 'POST', '/api/v1/widget/sessions', { public_key: channel.body.data.public_key }, {});
    const visitor = { authorization: `Bearer ${session.body.data.visitor_token}` };
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/widget/conversations', {}, visitor);
    await api(t, 'POST', `/api/v1/widget/conversations/${conv.body.data.id}/handoff`, {}, visitor);
    expect(await view(conv.body.data.id)).toMatchObject({ team_id: team.id, assignee_id: people[1].member.id, mode: 'manual' });
    const byTeam = await api<{ data: Conversation[] }>(t, 'GET', `/api/v1/conversations?team_id=${team.id}`);
    expect(byTeam.body.data.map((c) => c.id)).toEqual([conv.body.data.id]);
    const mine = await api<{ data: Conversation[] }>(t, 'GET', '/api/v1/conversations?assignee_id=me&limit=100', undefined, people[1].headers);
    expect(mine.body.data.map((c) => c.id)).toContain(conv.body.data.id);
    expect(mine.body.data.every((c) => c.assignee_id === people[1].member.id)).toBe(true);
    expect((await api(t, 'GET', '/api/v1/conversations?assignee_id=me')).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/assign`, {})).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/assign`, { team_id: '0190a000-0000-7000-8000-000000000000' })).status).toBe(422);
  });
});
