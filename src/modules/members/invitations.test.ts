import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, type ApiResponse } from '../../../test/http.js';
import { createMember, login, loginAsAgentMember, type TestMember, type TestSession } from '../../../test/auth.js';
import { INVALID_INVITATION_MESSAGE } from './invitations.usecases.js';

interface Created {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'agent';
  url: string;
  expires_at: string;
  created_at: string;
}

const PASSWORD = 'a fine long password';
let counter = 0;
const freshEmail = () => `invitee-${Date.now().toString(36)}-${counter++}@example.com`;
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe.each(DIALECTS)('member invitations on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  async function invite(body: Record<string, unknown> = {}, headers: Record<string, string> = admin.headers): Promise<ApiResponse<{ data: Created }>> {
    return api<{ data: Created }>(t, 'POST', '/api/v1/members/invitations', { email: freshEmail(), role: 'agent', ...body }, headers);
  }
  async function invited(body: Record<string, unknown> = {}): Promise<Created> {
    const res = await invite(body);
    expect(res.status, res.text).toBe(201);
    return res.body.data;
  }
  const accept = (token: string, body: unknown = { name: 'New Person', password: PASSWORD }) =>
    api<{ data: { member: TestMember }; csrf_token: string }>(t, 'POST', `/api/v1/invitations/${token}/accept`, body, {});
  const show = (token: string) => api(t, 'GET', `/api/v1/invitations/${token}`, undefined, {});
  function expectInvalidLink(res: ApiResponse) {
    expect(res.status, res.text).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', message: INVALID_INVITATION_MESSAGE });
  }

  it('refuses invitations to agent-role members and API keys (403)', async () => {
    const agent = await loginAsAgentMember(t, admin);
    for (const headers of [agent.headers, t.auth]) {
      expect((await invite({}, headers)).status).toBe(403);
      expect((await api(t, 'GET', '/api/v1/members/invitations', undefined, headers)).status).toBe(403);
    }
    const mine = await invited();
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${mine.id}`, undefined, agent.headers)).status).toBe(403);
  });

  it('answers 400 in plain words for a bad email or role', async () => {
    for (const body of [{ email: 'not an email' }, { role: 'owner' }, { email: undefined }, { extra: 1 }]) {
      const res = await invite(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
  });

  it('creates a link to /invite/<token> on the public origin, valid for 7 days', async () => {
    const email = freshEmail();
    const res = await invite({ email: email.toUpperCase(), name: '  Grace  ', role: 'admin' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.body.data;
    expect(created).toMatchObject({ email, name: 'Grace', role: 'admin' });
    expect(created.url).toMatch(/^http:\/\/localhost(:\d+)?\/invite\/[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(created.expires_at) - Date.parse(created.created_at)) / 86_400_000;
    expect(days).toBeCloseTo(7, 5);

    const shown = await show(tokenOf(created.url));
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ data: { email, name: 'Grace', role: 'admin', workspace: { name: 'Test workspace' } } });
  });

  it('builds the link on PARLEY_PUBLIC_URL when it is set', async () => {
    process.env.PARLEY_PUBLIC_URL = 'https://support.example.com/ignored/path';
    try {
      const created = await invited();
      expect(created.url).toMatch(/^https:\/\/support\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
    } finally {
      delete process.env.PARLEY_PUBLIC_URL;
    }
  });

  it('keeps only a hash of the token', async () => {
    const created = await invited();
    const token = tokenOf(created.url);
    const row = await t.database.db.selectFrom('member_invitations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await api(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(listed.text).not.toContain(token);
  });

  it('lists pending invitations without their links', async () => {
    const created = await invited({ name: 'Listed' });
    const res = await api<{ data: Array<Record<string, unknown>> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(res.status).toBe(200);
    const found = res.body.data.find((i) => i.id === created.id);
    expect(found).toEqual({
      id: created.id,
      email: created.email,
      name: 'Listed',
      role: 'agent',
      expires_at: created.expires_at,
      created_at: created.created_at,
      created_by: admin.member.id,
    });
  });

  it('signs the new member up once: the link then shows the plain message', async () => {
    const created = await invited({ role: 'admin' });
    const token = tokenOf(created.url);
    const res = await accept(token, { name: '  Ada Byron ', password: PASSWORD });
    expect(res.status, res.text).toBe(201);
    expect(res.body.data.member).toMatchObject({ email: created.email, name: 'Ada Byron', role: 'admin' });
    expect(typeof res.body.csrf_token).toBe('string');

    // The answer signs the new member in: the cookie and CSRF token open the API.
    const setCookie = res.headers['set-cookie'];
    const cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0];
    expect(cookie).toMatch(/^parley_session=/);
    const headers = { cookie, 'x-csrf-token': res.body.csrf_token };
    const me = await api<{ data: TestMember }>(t, 'GET', '/api/v1/me', undefined, headers);
    expect(me.body.data.id).toBe(res.body.data.member.id);
    expect((await api(t, 'GET', '/api/v1/members', undefined, headers)).status).toBe(200);
    expect((await api(t, 'POST', '/api/v1/me/availability', { availability: 'away' }, headers)).status).toBe(200);
    // …and the password they chose signs them in later.
    await login(t, created.email, PASSWORD);

    expectInvalidLink(await show(token));
    expectInvalidLink(await accept(token));
    const pending = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(pending.body.data.map((i) => i.id)).not.toContain(created.id);
  });

  it('answers 400 in plain words for a missing name or a short password, leaving the link usable', async () => {
    const token = tokenOf((await invited()).url);
    const noName = await accept(token, { name: '   ', password: PASSWORD });
    expect(noName.status).toBe(400);
    expect(errorOf(noName).message).toBe('Please enter your name');
    const short = await accept(token, { name: 'Short', password: 'seven77' });
    expect(short.status).toBe(400);
    expect(errorOf(short).message).toBe('The password must be at least 8 characters long');
    expect(errorOf(short).details).toEqual({ password: ['The password must be at least 8 characters long'] });
    for (const body of [{ name: 'X' }, { password: PASSWORD }, { name: 'X', password: PASSWORD, role: 'admin' }, { name: 1, password: PASSWORD }]) {
      const res = await accept(token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    expect((await accept(token)).status).toBe(201);
  });

  it('answers 404, never 500, for unknown and malformed tokens', async () => {
    for (const token of ['nope', 'x'.repeat(43), 'a'.repeat(150), '..%2F..', 'A'.repeat(43).replace(/A$/, '=')]) {
      expectInvalidLink(await show(token));
      expectInvalidLink(await accept(token));
    }
  });

  it('refuses an expired link', async () => {
    const created = await invited();
    await t.database.db
      .updateTable('member_invitations')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', created.id)
      .execute();
    expectInvalidLink(await show(tokenOf(created.url)));
    expectInvalidLink(await accept(tokenOf(created.url)));
    const pending = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(pending.body.data.map((i) => i.id)).not.toContain(created.id);
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${created.id}`, undefined, admin.headers)).status).toBe(404);
  });

  it('revokes a link', async () => {
    const created = await invited();
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${created.id}`, undefined, admin.headers)).status).toBe(204);
    expectInvalidLink(await show(tokenOf(created.url)));
    expectInvalidLink(await accept(tokenOf(created.url)));
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${created.id}`, undefined, admin.headers)).status).toBe(404);
  });

  it('supersedes the earlier link when the same email is invited again', async () => {
    const email = freshEmail();
    const first = await invited({ email });
    const second = await invited({ email: email.toUpperCase(), role: 'admin' });
    expectInvalidLink(await show(tokenOf(first.url)));
    const pending = await api<{ data: Array<{ id: string; email: string }> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(pending.body.data.filter((i) => i.email === email).map((i) => i.id)).toEqual([second.id]);
    const res = await accept(tokenOf(second.url));
    expect(res.body.data.member.role).toBe('admin');
  });

  it('answers 409 when the email is already a member, and when it became one before the link was used', async () => {
    const dup = await invite({ email: t.workspace.adminEmail.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toMatchObject({ code: 'CONFLICT', message: 'This person is already a member of the workspace' });

    // Made a member by another way than the admin's member route (here, straight into the table):
    // the link still stands, and using it is a conflict.
    const email = freshEmail();
    const created = await invited({ email });
    await t.database.db
      .insertInto('members')
      .values({ id: randomUUID(), account_id: t.workspace.accountId, email, name: 'Already Here', role: 'agent', password_hash: 'x', created_at: new Date().toISOString(), updated_at: new Date().toISOString() })
      .execute();
    const late = await accept(tokenOf(created.url));
    expect(late.status).toBe(409);
    expect(errorOf(late).code).toBe('CONFLICT');
  });

  it('withdraws a pending link when an admin adds the same person directly', async () => {
    const email = freshEmail();
    const created = await invited({ email });
    await createMember(t, { email, admin });
    const pending = await api<{ data: Array<{ email: string }> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(pending.body.data.map((i) => i.email)).not.toContain(email);
    expectInvalidLink(await accept(tokenOf(created.url)));
  });

  it('makes exactly one member of two acceptances at the same moment', async () => {
    const created = await invited();
    const token = tokenOf(created.url);
    const results = await Promise.all([accept(token, { name: 'One', password: PASSWORD }), accept(token, { name: 'Two', password: PASSWORD })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 404]);
    const rows = await t.database.db.selectFrom('members').select('id').where('email', '=', created.email).execute();
    expect(rows).toHaveLength(1);
  });

  it("answers 404 for another account's invitation and keeps each account's list to itself", async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const theirs = await invite({}, otherAdmin.headers);
    expect(theirs.status).toBe(201);
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${theirs.body.data.id}`, undefined, admin.headers)).status).toBe(404);
    const mine = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/members/invitations?limit=100', undefined, admin.headers);
    expect(mine.body.data.map((i) => i.id)).not.toContain(theirs.body.data.id);
    // The link itself works for its own workspace only: the member joins the other account.
    const joined = await accept(tokenOf(theirs.body.data.url));
    expect(joined.status).toBe(201);
    const row = await t.database.db.selectFrom('members').select('account_id').where('id', '=', joined.body.data.member.id).executeTakeFirstOrThrow();
    expect(row.account_id).toBe(other.accountId);
    expect((await api(t, 'DELETE', '/api/v1/members/invitations/not-a-uuid', undefined, admin.headers)).status).toBe(400);
  });

  // Last: it uses up this address's budget of unknown tokens.
  it('slows down an address guessing tokens (429 with Retry-After), as login does', async () => {
    const good = tokenOf((await invited()).url);
    let res: ApiResponse = await show('x'.repeat(43));
    for (let i = 0; i < 40 && res.status !== 429; i++) res = await show('y'.repeat(43));
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await show(good)).status).toBe(429);
  });
});
