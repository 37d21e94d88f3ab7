import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';

interface ApiKey {
  id: string;
  agent_id: string;
  name: string;
  prefix: string;
  mode: 'live' | 'test';
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
  secret?: string;
}

const KEY_FIELDS = ['agent_id', 'created_at', 'id', 'last_used_at', 'mode', 'name', 'prefix', 'revoked_at'];

describe.each(DIALECTS)('API key management on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let keysUrl: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    keysUrl = `/api/v1/agents/${t.workspace.agentId}/keys`;
  });
  afterAll(async () => t.close());

  it('creates a key whose secret is shown once and works at once', async () => {
    const res = await api<{ data: ApiKey }>(t, 'POST', keysUrl, { name: 'Staging', mode: 'test' }, admin.headers);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual([...KEY_FIELDS, 'secret'].sort());
    expect(res.body.data).toMatchObject({ agent_id: t.workspace.agentId, name: 'Staging', mode: 'test', revoked_at: null });
    expect(res.body.data.secret).toMatch(/^sk_test_/);
    expect(res.body.data.secret!.startsWith(res.body.data.prefix)).toBe(true);
    const use = await api(t, 'GET', '/api/v1/agents', undefined, { authorization: `Bearer ${res.body.data.secret}` });
    expect(use.status).toBe(200);
    const live = await api<{ data: ApiKey }>(t, 'POST', keysUrl, {}, admin.headers);
    expect(live.body.data).toMatchObject({ mode: 'live', name: '' });
    expect(live.body.data.secret).toMatch(/^sk_live_/);
  });

  it('lists keys without secrets or hashes, revoked ones included', async () => {
    const created = await api<{ data: ApiKey }>(t, 'POST', keysUrl, { name: 'Listed' }, admin.headers);
    const list = await api<{ data: ApiKey[]; pagination: unknown }>(t, 'GET', keysUrl, undefined, { cookie: admin.cookie });
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(2);
    for (const key of list.body.data) expect(Object.keys(key).sort()).toEqual(KEY_FIELDS);
    expect(list.text).not.toContain(created.body.data.secret);
    const stored = await t.database.db.selectFrom('api_keys').select('key_hash').execute();
    for (const { key_hash } of stored) expect(list.text).not.toContain(key_hash);
    const page = await api<{ data: ApiKey[]; pagination: { cursor: string; has_more: boolean } }>(
      t, 'GET', `${keysUrl}?limit=1`, undefined, admin.headers,
    );
    expect(page.body.pagination.has_more).toBe(true);
    const next = await api<{ data: ApiKey[] }>(t, 'GET', `${keysUrl}?limit=1&cursor=${page.body.pagination.cursor}`, undefined, admin.headers);
    expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
  });

  it('revokes a key: its next use is a 401, and it stays listed with revoked_at', async () => {
    const created = await api<{ data: ApiKey }>(t, 'POST', keysUrl, { name: 'Doomed' }, admin.headers);
    const auth = { authorization: `Bearer ${created.body.data.secret}` };
    expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(200);
    const del = await api(t, 'DELETE', `${keysUrl}/${created.body.data.id}`, undefined, admin.headers);
    expect(del.status).toBe(204);
    const use = await api(t, 'GET', '/api/v1/agents', undefined, auth);
    expect(use.status).toBe(401);
    expect(errorOf(use).code).toBe('UNAUTHORIZED');
    const list = await api<{ data: ApiKey[] }>(t, 'GET', keysUrl, undefined, admin.headers);
    const listed = list.body.data.find((k) => k.id === created.body.data.id);
    expect(listed?.revoked_at).not.toBeNull();
    // Revoking again is harmless; the first revocation time stays.
    expect((await api(t, 'DELETE', `${keysUrl}/${created.body.data.id}`, undefined, admin.headers)).status).toBe(204);
    const again = await api<{ data: ApiKey[] }>(t, 'GET', keysUrl, undefined, admin.headers);
    expect(again.body.data.find((k) => k.id === created.body.data.id)?.revoked_at).toBe(listed?.revoked_at);
  });

  it('refuses a key at once when another process revokes it, and when this one changes it back', async () => {
    // The CLI (`parley keys revoke`) writes through its own connection; keys read from memory must
    // not outlive that (SQLite keeps them until a key, session or member changes; PostgreSQL reads
    // every time).
    const created = await api<{ data: ApiKey }>(t, 'POST', keysUrl, { name: 'Elsewhere' }, admin.headers);
    const auth = { authorization: `Bearer ${created.body.data.secret}` };
    for (let i = 0; i < 3; i++) expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(200);
    const id = created.body.data.id;
    const elsewhere = async (statement: RawBuilder<unknown>) => {
      const other = openSecondHandle(dialect, t.location);
      try {
        await statement.execute(other.db);
      } finally {
        await other.close();
      }
    };
    await elsewhere(sql`update api_keys set revoked_at = ${'2026-01-01T00:00:00.000Z'} where id = ${id}`);
    expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(401);
    // Un-revoked by hand: usable again on the next request, not only once a cache runs out.
    await elsewhere(sql`update api_keys set revoked_at = null where id = ${id}`);
    expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(200);
    await elsewhere(sql`delete from api_keys where id = ${id}`);
    expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(401);
  });

  it('answers 404 for an agent or key of another account, or a key of another agent', async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const theirKey = await api<{ data: ApiKey }>(t, 'POST', `/api/v1/agents/${other.agentId}/keys`, {}, otherAdmin.headers);
    const theirs = `/api/v1/agents/${other.agentId}/keys`;
    expect((await api(t, 'GET', theirs, undefined, admin.headers)).status).toBe(404);
    expect((await api(t, 'POST', theirs, {}, admin.headers)).status).toBe(404);
    expect((await api(t, 'DELETE', `${theirs}/${theirKey.body.data.id}`, undefined, admin.headers)).status).toBe(404);
    expect((await api(t, 'DELETE', `${keysUrl}/${theirKey.body.data.id}`, undefined, admin.headers)).status).toBe(404);
    const second = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Second' }, admin.headers);
    const mine = await api<{ data: ApiKey[] }>(t, 'GET', keysUrl, undefined, admin.headers);
    const crossAgent = await api(t, 'DELETE', `/api/v1/agents/${second.body.data.id}/keys/${mine.body.data[0].id}`, undefined, admin.headers);
    expect(crossAgent.status).toBe(404);
    expect((await api(t, 'GET', '/api/v1/agents', undefined, { authorization: `Bearer ${theirKey.body.data.secret}` })).status).toBe(200);
  });

  it('rejects bad input with 400', async () => {
    for (const body of [{ mode: 'prod' }, { name: 7 }, { scope: 'all' }]) {
      expect((await api(t, 'POST', keysUrl, body, admin.headers)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(t, 'DELETE', `${keysUrl}/not-a-uuid`, undefined, admin.headers)).status).toBe(400);
  });

  it('answers 403 to an agent-role member and to an API key, even on its own agent', async () => {
    const agent = await loginAsAgentMember(t, admin);
    const list = await api<{ data: ApiKey[] }>(t, 'GET', keysUrl, undefined, admin.headers);
    const keyId = list.body.data[0].id;
    for (const headers of [agent.headers, t.auth]) {
      for (const [method, url] of [['GET', keysUrl], ['POST', keysUrl], ['DELETE', `${keysUrl}/${keyId}`]] as const) {
        const res = await api(t, method, url, method === 'POST' ? {} : undefined, headers);
        expect(res.status, `${method} ${url}`).toBe(403);
        expect(errorOf(res).code).toBe('FORBIDDEN');
      }
    }
    expect((await api(t, 'GET', '/api/v1/agents')).status).toBe(200);
  });
});
