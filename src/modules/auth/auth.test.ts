import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createMember, login, type TestMember } from '../../../test/auth.js';
import { hashSessionToken } from './auth.sessions.js';

interface SignedIn {
  data: TestMember;
  csrf_token: string;
}

/** A login from a given client address, so failure counts do not leak between tests. */
async function loginFrom(t: TestApp, ip: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: ip,
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) as Record<string, unknown> };
}

describe.each(DIALECTS)('sessions on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('signs in with email and password, answering the member and a CSRF token and setting a safe cookie', async () => {
    const res = await api<SignedIn>(t, 'POST', '/api/v1/auth/login', {
      email: `  ${t.workspace.adminEmail.toUpperCase()} `,
      password: t.workspace.adminPassword,
    }, {});
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['csrf_token', 'data']);
    expect(Object.keys(res.body.data).sort()).toEqual(['availability', 'created_at', 'email', 'id', 'name', 'role', 'updated_at']);
    expect(res.body.data).toMatchObject({ email: t.workspace.adminEmail, role: 'admin' });
    expect(res.body.csrf_token).toMatch(/^[\w-]{43}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^parley_session=[\w-]{43}; /);
    const attributes = cookie.split('; ').slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(attributes.some((a) => a.startsWith('Max-Age='))).toBe(true);
    // Served over plain http here, so the cookie must not be Secure (the browser would drop it).
    expect(attributes).not.toContain('Secure');
    expect(res.text).not.toContain('scrypt');
  });

  it('stores only the SHA-256 of the session token', async () => {
    const session = await login(t);
    const token = session.cookie.split('=')[1];
    const rows = await t.database.db.selectFrom('sessions').selectAll().execute();
    expect(rows.some((r) => r.token_hash === hashSessionToken(token))).toBe(true);
    expect(rows.every((r) => r.token_hash !== token)).toBe(true);
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const wrongPassword = await loginFrom(t, '10.0.0.1', { email: t.workspace.adminEmail, password: 'not the password' });
    const unknownEmail = await loginFrom(t, '10.0.0.1', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Invalid email or password', details: {} } });
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('rejects a malformed login body with 400', async () => {
    for (const body of [{}, { email: 'a@example.com' }, { email: 'a@example.com', password: 7 }, { email: 'a@example.com', password: 'x', account_id: 'nope' }]) {
      const res = await api(t, 'POST', '/api/v1/auth/login', body, {});
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
  });

  it('GET /me returns the member and the same CSRF token; an API key gets 403 there', async () => {
    const session = await login(t);
    const me = await api<SignedIn>(t, 'GET', '/api/v1/me', undefined, { cookie: session.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ data: session.member, csrf_token: session.csrf });
    const byKey = await api(t, 'GET', '/api/v1/me');
    expect(byKey.status).toBe(403);
    expect(errorOf(byKey).code).toBe('FORBIDDEN');
    const anonymous = await api(t, 'GET', '/api/v1/me', undefined, {});
    expect(anonymous.status).toBe(401);
  });

  it('a session sees every agent of its account', async () => {
    const admin = await login(t);
    const created = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Second agent' }, admin.headers);
    expect(created.status).toBe(201);
    const list = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/agents', undefined, { cookie: admin.cookie });
    expect(list.body.data.map((a) => a.id)).toEqual(expect.arrayContaining([t.workspace.agentId, created.body.data.id]));
    const byKey = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/agents');
    expect(byKey.body.data.map((a) => a.id)).toEqual([t.workspace.agentId]);
  });

  it('logout revokes the session and clears the cookie; the old cookie is then a 401', async () => {
    const session = await login(t);
    const out = await api(t, 'POST', '/api/v1/auth/logout', undefined, session.headers);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^parley_session=; .*Max-Age=0/);
    const after = await api(t, 'GET', '/api/v1/me', undefined, { cookie: session.cookie });
    expect(after.status).toBe(401);
    expect(errorOf(after).code).toBe('UNAUTHORIZED');
    expect(String(after.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await api(t, 'POST', '/api/v1/auth/logout', undefined, session.headers)).status).toBe(401);
  });

  it('answers 401 for a session idle past 7 days, past its absolute end, or with a made-up token', async () => {
    const idle = await login(t);
    const ended = await login(t);
    const hashOf = (s: { cookie: string }) => hashSessionToken(s.cookie.split('=')[1]);
    const longAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    await t.database.db.updateTable('sessions').set({ last_seen_at: longAgo }).where('token_hash', '=', hashOf(idle)).execute();
    await t.database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashOf(ended))
      .execute();
    for (const cookie of [idle.cookie, ended.cookie, `parley_session=${'A'.repeat(43)}`, 'parley_session=short', 'other=1']) {
      const res = await api(t, 'GET', '/api/v1/me', undefined, { cookie });
      expect(res.status, cookie).toBe(401);
      expect(errorOf(res).code).toBe('UNAUTHORIZED');
    }
  });

  it('refreshes last_seen_at at most once a minute', async () => {
    const session = await login(t);
    const hash = hashSessionToken(session.cookie.split('=')[1]);
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await t.database.db.updateTable('sessions').set({ last_seen_at: twoMinutesAgo }).where('token_hash', '=', hash).execute();
    await api(t, 'GET', '/api/v1/me', undefined, { cookie: session.cookie });
    await new Promise((r) => setTimeout(r, 50));
    const row = await t.database.db.selectFrom('sessions').select('last_seen_at').where('token_hash', '=', hash).executeTakeFirstOrThrow();
    expect(Date.parse(row.last_seen_at)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('an email in two workspaces signs in to the one whose password matches, or the one named by account_id', async () => {
    const other = await t.otherWorkspace();
    const email = `shared-${Date.now()}@example.com`;
    const here = await createMember(t, { email, password: 'password of the first' });
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const there = await createMember(t, { email, password: 'password of the second', admin: otherAdmin });
    expect((await login(t, email, 'password of the first')).member.id).toBe(here.member.id);
    expect((await login(t, email, 'password of the second')).member.id).toBe(there.member.id);
    const named = await loginFrom(t, '10.0.0.2', { email, password: 'password of the first', account_id: other.accountId });
    expect(named.status).toBe(401);
    expect((await login(t, email, 'password of the first', t.workspace.accountId)).member.id).toBe(here.member.id);
  });
});
