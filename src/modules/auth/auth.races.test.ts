import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createMember, login, type TestSession } from '../../../test/auth.js';

/** A request from a given client address, so failure counts do not leak between tests. */
async function injectFrom(t: TestApp, ip: string, url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
    remoteAddress: ip,
  });
  return { status: res.statusCode, headers: res.headers, cookie: String(res.headers['set-cookie'] ?? '').split(';')[0] };
}

const loginFrom = (t: TestApp, ip: string, body: Record<string, unknown>) => injectFrom(t, ip, '/api/v1/auth/login', body);

/** Runs `action` after `ms`, so concurrent requests start spread over the time a password check takes. */
const after = <T>(ms: number, action: () => Promise<T>): Promise<T> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms)).then(action);

const stillSignedIn = async (t: TestApp, cookie: string) => (await api(t, 'GET', '/api/v1/me', undefined, { cookie })).status === 200;

describe.each(DIALECTS)('logins racing password changes, removals and each other on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  it('leaves no working session to a login with the old password that raced a password change', { timeout: 60_000 }, async () => {
    let survivors = 0;
    let signedIn = 0;
    for (let round = 0; round < 2; round++) {
      const { email, password } = await createMember(t, { admin });
      const current = await login(t, email, password);
      let changing = true;
      const change = api(t, 'POST', '/api/v1/settings/password', { current_password: password, new_password: 'a brand new password' }, current.headers)
        .finally(() => (changing = false));
      // Old-password logins start one after another for as long as the change runs, so some read
      // the member before the change commits and would store their session after it. (Those over
      // the per-email limit of 10 attempts under way are a 429, which is fine here.)
      const logins: Array<ReturnType<typeof loginFrom>> = [];
      for (let i = 0; changing && i < 40; i++) {
        logins.push(loginFrom(t, `10.20.${round}.${i}`, { email, password }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [changed, ...results] = await Promise.all([change, ...logins]);
      expect(changed.status).toBe(204);
      for (const res of results) {
        expect([200, 401, 429]).toContain(res.status);
        if (res.status !== 200) continue;
        signedIn++;
        if (await stillSignedIn(t, res.cookie)) survivors++;
      }
      expect(await stillSignedIn(t, current.cookie)).toBe(true);
    }
    expect(survivors, `${survivors} of ${signedIn} old-password sessions outlived the change`).toBe(0);
  });

  it('lets one of two password changes made with the same current password win; the other is told it is not current', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const { email, password } = await createMember(t, { admin });
      const [first, second] = [await login(t, email, password), await login(t, email, password)];
      const change = (session: TestSession, next: string) =>
        api(t, 'POST', '/api/v1/settings/password', { current_password: password, new_password: next }, session.headers);
      const [a, b] = await Promise.all([change(first, 'first new password'), change(second, 'second new password')]);
      expect([a.status, b.status].sort()).toEqual([204, 422]);
      const [winner, loser] = a.status === 204 ? ['first new password', 'second new password'] : ['second new password', 'first new password'];
      expect((await loginFrom(t, `10.22.${round}.1`, { email, password: winner })).status).toBe(200);
      expect((await loginFrom(t, `10.22.${round}.2`, { email, password: loser })).status).toBe(401);
      expect((await loginFrom(t, `10.22.${round}.3`, { email, password })).status).toBe(401);
    }
  });

  it('answers 200 or 401, never 409, to logins racing the removal of their member', { timeout: 60_000 }, async () => {
    const statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      const { email, password, member } = await createMember(t, { admin });
      const logins = Array.from({ length: 8 }, (_, i) => after(i * 30, () => loginFrom(t, `10.21.${round}.${i}`, { email, password })));
      const removal = after(100, () => api(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, admin.headers));
      const [removed, ...results] = await Promise.all([removal, ...logins]);
      expect(removed.status).toBe(204);
      for (const res of results) {
        statuses.push(res.status);
        // A login that won the race lost its session with the member.
        if (res.status === 200) expect(await stillSignedIn(t, res.cookie)).toBe(false);
      }
    }
    expect(statuses.filter((s) => s !== 200 && s !== 401), statuses.join(' ')).toEqual([]);
  });

  it('checks no more parallel wrong passwords for one email than its limit of 10; the rest are 429', { timeout: 60_000 }, async () => {
    const { email, password } = await createMember(t, { admin });
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => loginFrom(t, `10.22.0.${i}`, { email, password: `wrong ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    for (const res of results.filter((r) => r.status === 429)) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The attempts were counted: the right password is refused too, until the window passes.
    expect((await loginFrom(t, '10.22.1.1', { email, password })).status).toBe(429);
  });

  it('checks no more parallel logins from one address than its limit of 30; the rest are 429', { timeout: 60_000 }, async () => {
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) => loginFrom(t, '10.23.0.1', { email: `nobody-${i}@example.com`, password: 'guess' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect((await loginFrom(t, '10.23.0.1', { email: t.workspace.adminEmail, password: t.workspace.adminPassword })).status).toBe(429);
  });

  it('lets parallel logins with the right password through without using up the limit', { timeout: 60_000 }, async () => {
    const { email, password } = await createMember(t, { admin });
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => loginFrom(t, `10.24.0.${i}`, { email, password })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const wrong = await Promise.all(Array.from({ length: 10 }, (_, i) => loginFrom(t, `10.24.1.${i}`, { email, password: `wrong ${i}` })));
    expect(wrong.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 401));
  });

  it('checks no more parallel wrong current passwords than the email limit of 10; the rest are 429', { timeout: 60_000 }, async () => {
    const { email, password } = await createMember(t, { admin });
    const session = await login(t, email, password);
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        injectFrom(t, '10.25.0.1', '/api/v1/settings/password', { current_password: `wrong ${i}`, new_password: 'another password' }, session.headers),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 422)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(await stillSignedIn(t, session.cookie)).toBe(true);
  });
});
