import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';

interface Agent {
  id: string;
  name: string;
  description: string;
  status: string;
  instructions: string;
  created_at: string;
  updated_at: string;
}

describe.each(DIALECTS)('agents managed by members on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  it('lets an admin create an agent with defaults, seen by sessions but not by another agent’s key', async () => {
    const res = await api<{ data: Agent }>(t, 'POST', '/api/v1/agents', { name: 'Billing bot' }, admin.headers);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Billing bot', description: '', status: 'active', instructions: '' });
    expect(res.body.data.created_at).toBe(res.body.data.updated_at);
    const get = await api<{ data: Agent }>(t, 'GET', `/api/v1/agents/${res.body.data.id}`, undefined, { cookie: admin.cookie });
    expect(get.body.data).toEqual(res.body.data);
    expect((await api(t, 'GET', `/api/v1/agents/${res.body.data.id}`)).status).toBe(404);
    const full = await api<{ data: Agent }>(
      t,
      'POST',
      '/api/v1/agents',
      { name: 'Sales', description: 'Answers pricing', instructions: 'Be brief.', status: 'inactive' },
      admin.headers,
    );
    expect(full.body.data).toMatchObject({ name: 'Sales', description: 'Answers pricing', instructions: 'Be brief.', status: 'inactive' });
  });

  it('rejects an invalid new agent with 400', async () => {
    for (const body of [{}, { name: '' }, { name: 'X', status: 'paused' }, { name: 'X', model: 'gpt' }, { name: 'X', instructions: 'x'.repeat(20_001) }]) {
      const res = await api(t, 'POST', '/api/v1/agents', body, admin.headers);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
  });

  it('lets an admin and the agent’s own key update instructions', async () => {
    const url = `/api/v1/agents/${t.workspace.agentId}`;
    const byAdmin = await api<{ data: Agent }>(t, 'PATCH', url, { instructions: 'Answer in French.' }, admin.headers);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.instructions).toBe('Answer in French.');
    const byKey = await api<{ data: Agent }>(t, 'PATCH', url, { instructions: 'Answer in English.' });
    expect(byKey.body.data.instructions).toBe('Answer in English.');
    const stored = await t.database.db.selectFrom('agents').select('instructions').where('id', '=', t.workspace.agentId).executeTakeFirstOrThrow();
    expect(stored.instructions).toBe('Answer in English.');
  });

  it('lets an agent-role member read agents but answers 403 to create or update them', async () => {
    const agent = await loginAsAgentMember(t, admin);
    const list = await api<{ data: Agent[] }>(t, 'GET', '/api/v1/agents', undefined, agent.headers);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(1);
    expect((await api(t, 'GET', `/api/v1/agents/${t.workspace.agentId}`, undefined, agent.headers)).status).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/api/v1/agents', { name: 'Nope' }],
      ['PATCH', `/api/v1/agents/${t.workspace.agentId}`, { name: 'Nope' }],
    ] as const) {
      const res = await api(t, method, url, body, agent.headers);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
  });

  it('answers 403 to an API key creating an agent, and 404 to an admin patching another account’s agent', async () => {
    const res = await api(t, 'POST', '/api/v1/agents', { name: 'By key' });
    expect(res.status).toBe(403);
    const other = await t.otherWorkspace();
    expect((await api(t, 'PATCH', `/api/v1/agents/${other.agentId}`, { name: 'Hijack' }, admin.headers)).status).toBe(404);
    expect((await api(t, 'GET', `/api/v1/agents/${other.agentId}`, undefined, admin.headers)).status).toBe(404);
  });
});
