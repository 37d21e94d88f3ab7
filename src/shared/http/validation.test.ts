import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

/** UUIDs are case-insensitive on input: an id sent in upper case names the same row. */
describe.each(DIALECTS)('ids in upper case on %s', (dialect) => {
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'upper@example.com' });
    contactId = c.body.data.id;
  });
  afterAll(async () => t.close());

  it('finds the same agent and conversation by path, body and query, and answers lower case', async () => {
    const upperAgent = t.workspace.agentId.toUpperCase();
    expect(upperAgent).not.toBe(t.workspace.agentId);
    const agent = await api<{ data: { id: string } }>(t, 'GET', `/api/v1/agents/${upperAgent}`);
    expect(agent.status).toBe(200);
    expect(agent.body.data.id).toBe(t.workspace.agentId);

    // The API key's own agent, named in upper case in a body.
    const created = await api<{ data: { id: string; agent_id: string } }>(t, 'POST', '/api/v1/conversations', {
      contact_id: contactId,
      agent_id: upperAgent,
      metadata: { order_ref: upperAgent },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.agent_id).toBe(t.workspace.agentId);
    const id = created.body.data.id;

    const one = await api<{ data: { id: string; metadata: Record<string, string> } }>(t, 'GET', `/api/v1/conversations/${id.toUpperCase()}`);
    expect(one.status).toBe(200);
    expect(one.body.data.id).toBe(id);
    // Only what the schema calls a uuid changes: a metadata value is the caller's data, kept as sent.
    expect(one.body.data.metadata).toEqual({ order_ref: upperAgent });

    const sent = await api(t, 'POST', `/api/v1/conversations/${id.toUpperCase()}/messages`, { content: 'Hello', role: 'operator' });
    expect(sent.status).toBe(201);
    const listed = await api<{ data: { id: string }[] }>(t, 'GET', `/api/v1/conversations?agent_id=${upperAgent}&limit=100`);
    expect(listed.body.data.map((c) => c.id)).toContain(id);
  });

  it('still refuses what is not a uuid, in any case', async () => {
    const res = await api(t, 'GET', `/api/v1/agents/${t.workspace.agentId.toUpperCase()}X`);
    expect(res.status).toBe(400);
    expect(errorOf(res).details).toEqual({ id: ['must be a valid id'] });
  });
});
