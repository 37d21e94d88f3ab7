import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from './helpers.js';
import { api } from './http.js';

/** A member as the API shows it. */
export interface TestMember {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  created_at: string;
  updated_at: string;
}

/** A signed-in browser: pass `headers` as the 5th argument of `api()` to act as this member. */
export interface TestSession {
  /** `parley_session=<token>`, ready for a Cookie header. */
  cookie: string;
  csrf: string;
  headers: { cookie: string; 'x-csrf-token': string };
  member: TestMember;
}

/** Signs in through `POST /api/v1/auth/login` (the workspace's admin by default); fails the test on anything but 200. */
export async function login(
  t: TestApp,
  email: string = t.workspace.adminEmail,
  password: string = t.workspace.adminPassword,
  accountId?: string,
): Promise<TestSession> {
  const body = accountId === undefined ? { email, password } : { email, password, account_id: accountId };
  const res = await api<{ data: TestMember; csrf_token: string }>(t, 'POST', '/api/v1/auth/login', body, {});
  expect(res.status, `login ${email}: ${res.text}`).toBe(200);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : String(setCookie);
  const cookie = raw.split(';')[0];
  return { cookie, csrf: res.body.csrf_token, headers: { cookie, 'x-csrf-token': res.body.csrf_token }, member: res.body.data };
}

export interface CreatedMember {
  member: TestMember;
  email: string;
  password: string;
}

/**
 * Adds a member to the workspace through `POST /api/v1/members` as `admin` (the workspace's admin,
 * signed in for the occasion, by default). Role `agent` unless told otherwise.
 */
export async function createMember(
  t: TestApp,
  opts: { role?: 'admin' | 'agent'; email?: string; name?: string; password?: string; admin?: TestSession } = {},
): Promise<CreatedMember> {
  const admin = opts.admin ?? (await login(t));
  const email = opts.email ?? `member-${randomBytes(4).toString('hex')}@example.com`;
  const password = opts.password ?? 'a long enough password';
  const res = await api<{ data: TestMember }>(
    t,
    'POST',
    '/api/v1/members',
    { email, name: opts.name ?? 'Test Member', role: opts.role ?? 'agent', password },
    admin.headers,
  );
  expect(res.status, `create member: ${res.text}`).toBe(201);
  return { member: res.body.data, email, password };
}

/** A new member with role `agent`, signed in: for checking that admin-only routes answer 403. */
export async function loginAsAgentMember(t: TestApp, admin?: TestSession): Promise<TestSession> {
  const { email, password } = await createMember(t, { role: 'agent', admin });
  return login(t, email, password);
}
