import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createMember, login, loginAsAgentMember, type TestMember, type TestSession } from '../../../test/auth.js';

describe.each(DIALECTS)('members on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  it('adds a member (email lower-cased, never the hash), lists and retrieves it', async () => {
    const res = await api<{ data: TestMember }>(
      t,
      'POST',
      '/api/v1/members',
      { email: 'Ada@Example.COM', name: 'Ada', role: 'agent', password: 'analytical engine' },
      admin.headers,
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['availability', 'created_at', 'email', 'id', 'name', 'role', 'updated_at']);
    expect(res.body.data).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'agent' });
    const list = await api<{ data: TestMember[]; pagination: unknown }>(t, 'GET', '/api/v1/members', undefined, admin.headers);
    expect(list.status).toBe(200);
    expect(list.body.data.map((m) => m.email)).toEqual([t.workspace.adminEmail, 'ada@example.com']);
    expect(list.body.pagination).toEqual({ cursor: null, has_more: false });
    expect(list.text).not.toContain('scrypt');
    const one = await api<{ data: TestMember }>(t, 'GET', `/api/v1/members/${res.body.data.id}`, undefined, admin.headers);
    expect(one.body.data).toEqual(res.body.data);
    await login(t, 'ada@example.com', 'analytical engine');
  });

  it('pages through members with a cursor', async () => {
    const first = await api<{ data: TestMember[]; pagination: { cursor: string; has_more: boolean } }>(
      t, 'GET', '/api/v1/members?limit=1', undefined, admin.headers,
    );
    expect(first.body.pagination.has_more).toBe(true);
    const next = await api<{ data: TestMember[] }>(
      t, 'GET', `/api/v1/members?limit=1&cursor=${first.body.pagination.cursor}`, undefined, admin.headers,
    );
    expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it('answers 409 for an email already in the account (any case), 400 for bad input', async () => {
    const dup = await api(t, 'POST', '/api/v1/members', { email: t.workspace.adminEmail.toUpperCase(), name: 'X', role: 'agent', password: 'long enough' }, admin.headers);
    expect(dup.status).toBe(409);
    expect(errorOf(dup).code).toBe('CONFLICT');
    for (const body of [
      { email: 'not-an-email', name: 'X', role: 'agent', password: 'long enough' },
      { email: 'x@example.com', name: 'X', role: 'owner', password: 'long enough' },
      { email: 'x@example.com', name: 'X', role: 'agent', password: 'short' },
      { email: 'x@example.com', name: '   ', role: 'agent', password: 'long enough' },
      { email: 'x@example.com', name: 'X', role: 'agent' },
      { email: 'x@example.com', name: 'X', role: 'agent', password: 'long enough', password_hash: 'x' },
    ]) {
      const res = await api(t, 'POST', '/api/v1/members', body, admin.headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
  });

  it('lets the same email exist in another account', async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    await createMember(t, { email: t.workspace.adminEmail, admin: otherAdmin });
  });

  it('changes a role, which takes effect on the member’s next request', async () => {
    const { member, email, password } = await createMember(t, { role: 'agent', admin });
    const session = await login(t, email, password);
    expect((await api(t, 'GET', '/api/v1/members', undefined, session.headers)).status).toBe(403);
    const promoted = await api<{ data: TestMember }>(t, 'POST', `/api/v1/members/${member.id}/role`, { role: 'admin' }, admin.headers);
    expect(promoted.status).toBe(200);
    expect(promoted.body.data.role).toBe('admin');
    expect((await api(t, 'GET', '/api/v1/members', undefined, session.headers)).status).toBe(200);
    expect((await api(t, 'POST', `/api/v1/members/${member.id}/role`, { role: 'agent' }, admin.headers)).body).toMatchObject({ data: { role: 'agent' } });
    expect((await api(t, 'POST', `/api/v1/members/${member.id}/role`, { role: 'boss' }, admin.headers)).status).toBe(400);
  });

  it('removes a member, ending their sessions', async () => {
    const { member, email, password } = await createMember(t, { admin });
    const session = await login(t, email, password);
    const res = await api(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, admin.headers);
    expect(res.status).toBe(204);
    expect((await api(t, 'GET', '/api/v1/me', undefined, { cookie: session.cookie })).status).toBe(401);
    expect((await api(t, 'GET', `/api/v1/members/${member.id}`, undefined, admin.headers)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, admin.headers)).status).toBe(404);
  });

  it("returns a removed member's conversations to the unassigned queue", async () => {
    const { member } = await createMember(t, { admin });
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'queue@example.com' });
    const conversation = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    expect(conversation.status).toBe(201);
    const id = conversation.body.data.id;
    await t.database.db.updateTable('conversations').set({ assignee_id: member.id }).where('id', '=', id).execute();
    expect((await api(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, admin.headers)).status).toBe(204);
    const row = await t.database.db.selectFrom('conversations').select('assignee_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.assignee_id).toBeNull();
  });

  it('refuses with 409 to remove or demote the last admin', async () => {
    const me = admin.member.id;
    const demote = await api(t, 'POST', `/api/v1/members/${me}/role`, { role: 'agent' }, admin.headers);
    expect(demote.status).toBe(409);
    expect(errorOf(demote).code).toBe('CONFLICT');
    const remove = await api(t, 'DELETE', `/api/v1/members/${me}`, undefined, admin.headers);
    expect(remove.status).toBe(409);
    // Setting an admin's role to admin again is not a demotion.
    expect((await api(t, 'POST', `/api/v1/members/${me}/role`, { role: 'admin' }, admin.headers)).status).toBe(200);
  });

  it('lets one of two concurrent demotions of the only two admins through, never both', async () => {
    const second = await createMember(t, { role: 'admin', admin });
    const secondSession = await login(t, second.email, second.password);
    // Each admin steps down at the same moment (each acting on itself, so neither request can be
    // refused for its author's lost role: only the last-admin check can stop one).
    const results = await Promise.all([
      api(t, 'POST', `/api/v1/members/${admin.member.id}/role`, { role: 'agent' }, admin.headers),
      api(t, 'POST', `/api/v1/members/${second.member.id}/role`, { role: 'agent' }, secondSession.headers),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const admins = await t.database.db
      .selectFrom('members')
      .select('id')
      .where('account_id', '=', t.workspace.accountId)
      .where('role', '=', 'admin')
      .execute();
    expect(admins).toHaveLength(1);
    // Put the workspace back as it was: its admin is an admin, the second member is removed.
    const remaining = admins[0].id === admin.member.id ? admin : secondSession;
    await api(t, 'POST', `/api/v1/members/${admin.member.id}/role`, { role: 'admin' }, remaining.headers);
    expect((await api(t, 'DELETE', `/api/v1/members/${second.member.id}`, undefined, admin.headers)).status).toBe(204);
  });

  it('answers 404 for a member of another account, and 400 for an id that is not a uuid', async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const id = otherAdmin.member.id;
    expect((await api(t, 'GET', `/api/v1/members/${id}`, undefined, admin.headers)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/members/${id}/role`, { role: 'agent' }, admin.headers)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/members/${id}`, undefined, admin.headers)).status).toBe(404);
    expect((await api(t, 'GET', '/api/v1/members/42', undefined, admin.headers)).status).toBe(400);
    const theirs = await api<{ data: TestMember[] }>(t, 'GET', '/api/v1/members', undefined, otherAdmin.headers);
    expect(theirs.body.data.map((m) => m.id)).toContain(id);
  });

  it('answers 403 to an agent-role member and to an API key on every member route', async () => {
    const agent = await loginAsAgentMember(t, admin);
    const id = admin.member.id;
    const calls: Array<['GET' | 'POST' | 'DELETE', string, unknown]> = [
      ['GET', '/api/v1/members', undefined],
      ['GET', `/api/v1/members/${id}`, undefined],
      ['POST', '/api/v1/members', { email: 'z@example.com', name: 'Z', role: 'admin', password: 'long enough' }],
      ['POST', `/api/v1/members/${id}/role`, { role: 'agent' }],
      ['DELETE', `/api/v1/members/${id}`, undefined],
    ];
    for (const [method, url, body] of calls) {
      for (const headers of [agent.headers, t.auth]) {
        const res = await api(t, method, url, body, headers);
        expect(res.status, `${method} ${url}`).toBe(403);
        expect(errorOf(res).code).toBe('FORBIDDEN');
      }
    }
  });
});
