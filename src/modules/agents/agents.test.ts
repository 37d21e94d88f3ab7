import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Agent {
  id: string;
  name: string;
  description: string;
  status: string;
  instructions: string;
  created_at: string;
  updated_at: string;
}

describe.each(DIALECTS)('agents on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it("lists only the API key's own agent, in seed 000's shape plus instructions", async () => {
    await t.otherWorkspace();
    const res = await api<{ data: Agent[]; pagination: unknown }>(t, 'GET', '/api/v1/agents');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].id).toBe(t.workspace.agentId);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(
      ['created_at', 'default_team_id', 'description', 'handoff_after_declines', 'id', 'instructions', 'keywords', 'name', 'status', 'updated_at'].sort(),
    );
    expect(res.body.pagination).toEqual({ cursor: null, has_more: false });
  });

  it('retrieves its agent and 404s for any other agent id', async () => {
    const res = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('active');
    const other = await t.otherWorkspace();
    const cross = await api(t, 'GET', `/api/v1/agents/${other.agentId}`);
    expect(cross.status).toBe(404);
    expect(errorOf(cross).code).toBe('NOT_FOUND');
    expect((await api(t, 'PATCH', `/api/v1/agents/${other.agentId}`, { name: 'hijacked' })).status).toBe(404);
    const theirs = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${other.agentId}`, undefined, other.auth);
    expect(theirs.body.data.name).not.toBe('hijacked');
  });

  it('updates name, description and status, moving updated_at', async () => {
    const before = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    await new Promise((r) => setTimeout(r, 3));
    const res = await api<{ data: Agent }>(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, {
      name: 'Updated Support Bot',
      status: 'inactive',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Updated Support Bot', status: 'inactive' });
    expect(res.body.data.updated_at > before.body.data.updated_at).toBe(true);
    expect(res.body.data.created_at).toBe(before.body.data.created_at);
    const stored = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    expect(stored.body.data).toEqual(res.body.data);
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { status: 'active' });
  });

  it('rejects invalid updates with 400 and changes nothing', async () => {
    const before = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    for (const body of [{ status: 'paused' }, { name: '' }, { name: '   ' }, { name: 7 }, { colour: 'red' }]) {
      const res = await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    const after = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`);
    expect(after.body.data).toEqual(before.body.data);
  });

  it('stores a name trimmed', async () => {
    const res = await api<{ data: Agent }>(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { name: '  Support bot  ' });
    expect(res.body.data.name).toBe('Support bot');
  });
});
