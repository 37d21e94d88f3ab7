import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import {
  createAutomation,
  freshWorkspace,
  getConversation,
  runAutomations,
  runsOf,
  startConversation,
  type Auth,
  type One,
} from './automations.test-support.js';

interface QueuedConversation {
  id: string;
  team_id: string | null;
  assignee_id: string | null;
  tags: string[];
}

/** Issue 16: a rule can hand a conversation to a team, and read which team it is with. */
describe.each(DIALECTS)('automations and teams on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const createTeam = async (auth: Auth, body: Record<string, unknown>): Promise<string> => {
    const res = await api<One<{ id: string }>>(t, 'POST', '/api/v1/teams', body, auth);
    expect(res.status, res.text).toBe(201);
    return res.body.data.id;
  };
  const rule = (value?: unknown) => ({
    name: 'Billing questions to Billing',
    event: 'message.created',
    conditions: [{ field: 'message.content', operator: 'contains', value: 'invoice' }],
    actions: [value === undefined ? { type: 'assign_team' } : { type: 'assign_team', value }],
  });

  it('refuses an assign_team with no team, or with a team that is not of this workspace, in plain words', async () => {
    const ws = await freshWorkspace(t);
    const other = await freshWorkspace(t);
    const theirs = await createTeam(other.auth, { name: 'Theirs' });
    for (const value of [undefined, null, '', 'billing', 42]) {
      const res = await api(t, 'POST', '/api/v1/automations', rule(value), ws.auth);
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(errorOf(res).details).toEqual({ 'actions.0.value': ['Choose a team'] });
      expect(errorOf(res).message).toBe('Choose a team');
    }
    for (const value of [theirs, '0190a000-0000-7000-8000-000000000000']) {
      const res = await api(t, 'POST', '/api/v1/automations', rule(value), ws.auth);
      expect(res.status, res.text).toBe(422);
      expect(errorOf(res).details).toEqual({ 'actions.0.value': ['This team does not exist any more'] });
    }
    // The same on a change, and nothing was stored.
    const mine = await createTeam(ws.auth, { name: 'Billing' });
    const saved = await createAutomation(t, ws.auth, rule(mine));
    expect(saved.actions).toEqual([{ type: 'assign_team', value: mine }]);
    const patched = await api(t, 'PATCH', `/api/v1/automations/${saved.id}`, { actions: [{ type: 'assign_team', value: theirs }] }, ws.auth);
    expect(patched.status).toBe(422);
    expect((await api<One<{ actions: unknown }>>(t, 'GET', `/api/v1/automations/${saved.id}`, undefined, ws.auth)).body.data.actions).toEqual(saved.actions);
    // A condition on the team takes a team id or null, compared for equality.
    const cond = (c: Record<string, unknown>) => ({ ...rule(mine), conditions: [c] });
    expect((await api(t, 'POST', '/api/v1/automations', cond({ field: 'conversation.team_id', operator: 'contains', value: 'x' }), ws.auth)).status).toBe(400);
    expect((await api(t, 'POST', '/api/v1/automations', cond({ field: 'conversation.team_id', operator: 'equals', value: null }), ws.auth)).status).toBe(201);
  });

  it('hands the conversation to the team: it waits in the queue, and a team that assigns by itself serves it', async () => {
    const ws = await freshWorkspace(t);
    const admin = await login(t, ws.adminEmail, ws.adminPassword);
    const queue = await createTeam(ws.auth, { name: 'Billing' });
    const person = await createMember(t, { admin, name: 'Ana' });
    const auto = await createTeam(ws.auth, { name: 'Night shift', member_ids: [person.member.id], auto_assign: true });
    const ana = await login(t, person.email, person.password);
    expect((await api(t, 'POST', '/api/v1/me/availability', { availability: 'online' }, ana.headers)).status).toBeLessThan(300);

    // A rule per team, on the handoff: the conversation is then in manual mode with nobody assigned.
    const toQueue = await createAutomation(t, ws.auth, {
      name: 'VIPs to Billing',
      event: 'conversation.handoff',
      conditions: [{ field: 'conversation.tags', operator: 'contains', value: 'vip' }],
      actions: [{ type: 'assign_team', value: queue }],
    });
    const toAuto = await createAutomation(t, ws.auth, {
      name: 'Others to the night shift',
      event: 'conversation.handoff',
      conditions: [{ field: 'conversation.tags', operator: 'not_contains', value: 'vip' }],
      actions: [{ type: 'assign_team', value: auto }],
    });
    const vip = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${vip.id}/tags`, { tag: 'vip' }, ws.auth);
    const plain = await startConversation(t, ws.auth);
    for (const c of [vip, plain]) {
      const res = await api(t, 'POST', `/api/v1/conversations/${c.id}/handoff`, {}, ws.auth);
      expect(res.status, res.text).toBe(200);
    }
    await runAutomations(t);
    expect((await runsOf(t, ws.auth, toQueue.id)).map((r) => [r.conversation_id, r.matched, r.status])).toEqual([
      [plain.id, false, 'ok'],
      [vip.id, true, 'ok'],
    ]);
    expect((await runsOf(t, ws.auth, toAuto.id)).filter((r) => r.matched).map((r) => r.status)).toEqual(['ok']);

    // Waiting in Billing's queue: the list of that team's unassigned conversations shows it.
    expect(await getConversation(t, ws.auth, vip.id)).toMatchObject({ assignee_id: null, mode: 'manual' });
    const waiting = await api<{ data: QueuedConversation[] }>(t, 'GET', `/api/v1/conversations?team_id=${queue}&limit=100`, undefined, ws.auth);
    expect(waiting.body.data.map((c) => [c.id, c.team_id, c.assignee_id])).toEqual([[vip.id, queue, null]]);
    const row = await t.database.db.selectFrom('conversations').select(['team_id', 'team_queued_at']).where('id', '=', vip.id).executeTakeFirstOrThrow();
    expect(row.team_id).toBe(queue);
    expect(row.team_queued_at).not.toBeNull();

    // The night shift assigns by itself: Ana, online, has it at once, and the event says why.
    expect(await getConversation(t, ws.auth, plain.id)).toMatchObject({ assignee_id: person.member.id });
    const events = await api<{ data: Array<{ data: { conversation: { id: string }; assignment: Record<string, unknown> } }> }>(
      t,
      'GET',
      '/api/v1/events?after=0&limit=100&type=conversation.assigned',
      undefined,
      ws.auth,
    );
    expect(events.body.data.filter((e) => e.data.conversation.id === plain.id).map((e) => e.data.assignment)).toEqual([
      { assignee_id: null, team_id: auto, reason: 'manual' },
      { assignee_id: person.member.id, team_id: auto, reason: 'auto' },
    ]);
  });

  it('records an error when the team was deleted after the rule was saved', async () => {
    const ws = await freshWorkspace(t);
    const team = await createTeam(ws.auth, { name: 'Short-lived' });
    const saved = await createAutomation(t, ws.auth, {
      name: 'New chats to the team',
      event: 'conversation.created',
      actions: [{ type: 'assign_team', value: team }, { type: 'add_tag', value: 'routed' }],
    });
    expect((await api(t, 'DELETE', `/api/v1/teams/${team}`, undefined, ws.auth)).status).toBe(204);
    const conv = await startConversation(t, ws.auth);
    await runAutomations(t);
    const [run] = await runsOf(t, ws.auth, saved.id);
    expect(run.actions.map((a) => a.status)).toEqual(['error', 'ok']);
    expect(await getConversation(t, ws.auth, conv.id)).toMatchObject({ tags: ['routed'] });
    expect((await api<One<QueuedConversation>>(t, 'GET', `/api/v1/conversations/${conv.id}`, undefined, ws.auth)).body.data.team_id).toBeNull();
  });

  it('runs on a reopened conversation, reading the team it is with', async () => {
    const ws = await freshWorkspace(t);
    const team = await createTeam(ws.auth, { name: 'Returns' });
    const saved = await createAutomation(t, ws.auth, {
      name: 'Reopened returns are urgent',
      event: 'conversation.reopened',
      conditions: [{ field: 'conversation.team_id', operator: 'equals', value: team }],
      actions: [{ type: 'set_priority', value: 'urgent' }],
    });
    const withTeam = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${withTeam.id}/assign`, { team_id: team }, ws.auth);
    const without = await startConversation(t, ws.auth);
    for (const c of [withTeam, without]) {
      expect((await api(t, 'POST', `/api/v1/conversations/${c.id}/end`, undefined, ws.auth)).status).toBe(200);
      expect((await api(t, 'POST', `/api/v1/conversations/${c.id}/reopen`, undefined, ws.auth)).status).toBe(200);
    }
    await runAutomations(t);
    expect((await runsOf(t, ws.auth, saved.id)).map((r) => [r.conversation_id, r.event_type, r.matched])).toEqual([
      [without.id, 'conversation.reopened', false],
      [withTeam.id, 'conversation.reopened', true],
    ]);
    expect((await getConversation(t, ws.auth, withTeam.id)).priority).toBe('urgent');
    expect((await getConversation(t, ws.auth, without.id)).priority).toBe('normal');
  });
});
