import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';

interface Conversation {
  id: string;
  mode: string;
  assignee_id: string | null;
}
interface Event {
  id: number;
  type: string;
  data: { conversation: Conversation; assignment?: { assignee_id: string | null; reason: string } };
}

/** Issue 15's taking over: a person who steps in owns the conversation, and the AI stops. */
describe.each(DIALECTS)('taking a conversation over on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agentMember: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    agentMember = await loginAsAgentMember(t, admin);
  });
  afterAll(async () => t.close());

  async function conversation(): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
  }
  const view = async (id: string) => (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;
  const lastEventId = async () => {
    let after = 0;
    for (;;) {
      const page = await api<{ data: Event[] }>(t, 'GET', `/api/v1/events?after=${after}&limit=100`);
      if (page.body.data.length === 0) return after;
      after = page.body.data.at(-1)!.id;
    }
  };
  const eventsSince = async (after: number, id: string) =>
    (await api<{ data: Event[] }>(t, 'GET', `/api/v1/events?after=${after}&limit=100`)).body.data.filter((e) => e.data.conversation?.id === id);

  it('assigns an unassigned conversation to the member who takes it over, saying why', async () => {
    const id = await conversation();
    const since = await lastEventId();
    const res = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' }, agentMember.headers);
    expect(res.body.data).toMatchObject({ mode: 'manual', assignee_id: agentMember.member.id });
    const events = await eventsSince(since, id);
    expect(events.map((e) => e.type)).toEqual(['conversation.mode_changed', 'conversation.assigned']);
    expect(events[1].data.assignment).toEqual({ assignee_id: agentMember.member.id, team_id: null, reason: 'takeover' });
  });

  it('leaves an assigned conversation with its assignee, and an API key assigns nobody', async () => {
    const mine = await conversation();
    await api(t, 'POST', `/api/v1/conversations/${mine}/assign`, { member_id: admin.member.id }, admin.headers);
    await api(t, 'POST', `/api/v1/conversations/${mine}/mode`, { mode: 'manual' }, agentMember.headers);
    expect((await view(mine)).assignee_id).toBe(admin.member.id);
    const byKey = await conversation();
    await api(t, 'POST', `/api/v1/conversations/${byKey}/mode`, { mode: 'manual' });
    expect(await view(byKey)).toMatchObject({ mode: 'manual', assignee_id: null });
  });

  it('switches to manual when an operator replies, in the same write, so the AI stays quiet', async () => {
    const id = await conversation();
    // The customer's question, its reply queued but not yet written (no worker has run).
    const posted = await t.services.messages.postMessage(
      { kind: 'api_key', accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'x' },
      id,
      { content: 'Where is my parcel?', async: true },
    );
    const since = await lastEventId();
    const reply = await api<{ data: { id: number } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { role: 'operator', content: 'Checking now.' }, agentMember.headers);
    expect(reply.status).toBe(201);
    expect(await view(id)).toMatchObject({ mode: 'manual', assignee_id: agentMember.member.id });
    const events = await eventsSince(since, id);
    expect(events.map((e) => e.type)).toEqual(['message.created', 'conversation.mode_changed', 'conversation.assigned']);
    expect(events[0].data.conversation).toMatchObject({ mode: 'manual' });
    expect(events[2].data.assignment).toEqual({ assignee_id: agentMember.member.id, team_id: null, reason: 'takeover' });

    // The reply that was queued before is dropped, and the next question gets none.
    await t.services.replies.processPending();
    const pending = await api<{ data: { status: string } }>(t, 'GET', `/api/v1/conversations/${id}/messages/${posted.pendingReply!.id}`);
    expect(pending.body.data.status).toBe('failed');
    const next = await api<{ data: { assistant_message: unknown } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Thanks!' });
    expect(next.body.data.assistant_message).toBeNull();
    const list = await api<{ data: Array<{ role: string }> }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`);
    expect(list.body.data.map((m) => m.role)).toEqual(['user', 'operator', 'user']);
  });

  it('lets an operator chip in beside the AI when the workspace turns takeover off', async () => {
    const off = await api<{ data: { operator_reply_takes_over: boolean } }>(t, 'POST', '/api/v1/settings/workspace', { operator_reply_takes_over: false }, admin.headers);
    expect(off.body.data.operator_reply_takes_over).toBe(false);
    try {
      const id = await conversation();
      await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { role: 'operator', content: 'Hi, a person here too.' }, agentMember.headers);
      expect(await view(id)).toMatchObject({ mode: 'ai', assignee_id: null });
      const next = await api<{ data: { assistant_message: unknown } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'How long is shipping?' });
      expect(next.body.data.assistant_message).not.toBeNull();
    } finally {
      await api(t, 'POST', '/api/v1/settings/workspace', { operator_reply_takes_over: true }, admin.headers);
    }
    expect((await api<{ data: { operator_reply_takes_over: boolean } }>(t, 'GET', '/api/v1/settings/workspace')).body.data.operator_reply_takes_over).toBe(true);
    expect((await api(t, 'POST', '/api/v1/settings/workspace', { operator_reply_takes_over: 'yes' }, admin.headers)).status).toBe(400);
  });

  it('lets an agent-role member see teammates’ names (not emails or roles) and assign to them', async () => {
    const directory = await api<{ data: Array<Record<string, unknown>> }>(t, 'GET', '/api/v1/members/directory?limit=100', undefined, agentMember.headers);
    expect(directory.status).toBe(200);
    expect(directory.body.data.map((m) => Object.keys(m).sort())).toEqual(directory.body.data.map(() => ['availability', 'id', 'name']));
    expect(directory.body.data.map((m) => m.id)).toEqual(expect.arrayContaining([admin.member.id, agentMember.member.id]));
    expect((await api(t, 'GET', '/api/v1/members', undefined, agentMember.headers)).status).toBe(403);
    const id = await conversation();
    const assigned = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${id}/assign`, { member_id: admin.member.id }, agentMember.headers);
    expect(assigned.body.data.assignee_id).toBe(admin.member.id);
    const other = await t.otherWorkspace();
    expect(JSON.stringify((await api(t, 'GET', '/api/v1/members/directory?limit=100', undefined, other.auth)).body)).not.toContain(admin.member.id);
  });
});
