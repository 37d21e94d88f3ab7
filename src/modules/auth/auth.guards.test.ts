import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createMember, login } from '../../../test/auth.js';

async function loginFrom(t: TestApp, ip: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: ip,
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) as { error?: { code: string; details: Record<string, unknown> } } };
}

describe.each(DIALECTS)('CSRF, password change and login limits on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('refuses a cookie request that changes state without the right X-CSRF-Token, and lets GET through without one', async () => {
    const session = await login(t);
    const other = await login(t);
    const url = `/api/v1/agents/${t.workspace.agentId}`;
    const refused: Array<Record<string, string>> = [
      { cookie: session.cookie },
      { cookie: session.cookie, 'x-csrf-token': '' },
      { cookie: session.cookie, 'x-csrf-token': 'wrong' },
      { cookie: session.cookie, 'x-csrf-token': other.csrf },
    ];
    for (const headers of refused) {
      const res = await api(t, 'PATCH', url, { description: 'changed by CSRF' }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    const read = await api<{ data: { description: string } }>(t, 'GET', url, undefined, { cookie: session.cookie });
    expect(read.status).toBe(200);
    expect(read.body.data.description).not.toBe('changed by CSRF');
    const ok = await api(t, 'PATCH', url, { description: 'changed by the inbox' }, session.headers);
    expect(ok.status).toBe(200);
    // An API key needs no CSRF token: no browser sends it on its own.
    expect((await api(t, 'PATCH', url, { description: 'changed by a backend' })).status).toBe(200);
  });

  it('changes the password, ending the other sessions and keeping this one', async () => {
    const { email, password } = await createMember(t, { role: 'agent' });
    const current = await login(t, email, password);
    const elsewhere = await login(t, email, password);
    const res = await api(t, 'POST', '/api/v1/settings/password', { current_password: password, new_password: 'a brand new password' }, current.headers);
    expect(res.status).toBe(204);
    expect((await api(t, 'GET', '/api/v1/me', undefined, { cookie: current.cookie })).status).toBe(200);
    expect((await api(t, 'GET', '/api/v1/me', undefined, { cookie: elsewhere.cookie })).status).toBe(401);
    expect((await loginFrom(t, '10.1.0.1', { email, password })).status).toBe(401);
    await login(t, email, 'a brand new password');
  });

  it('answers 422 for a wrong current password (the session stays), 400 for a short new one, 403 for an API key', async () => {
    const { email, password } = await createMember(t);
    const session = await login(t, email, password);
    const wrong = await api(t, 'POST', '/api/v1/settings/password', { current_password: 'not it', new_password: 'another password' }, session.headers);
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong)).toMatchObject({ code: 'UNPROCESSABLE_ENTITY', details: { current_password: ['is not correct'] } });
    expect((await api(t, 'GET', '/api/v1/me', undefined, { cookie: session.cookie })).status).toBe(200);
    const short = await api(t, 'POST', '/api/v1/settings/password', { current_password: password, new_password: 'short' }, session.headers);
    expect(short.status).toBe(400);
    expect(errorOf(short).details).toHaveProperty('new_password');
    const byKey = await api(t, 'POST', '/api/v1/settings/password', { current_password: password, new_password: 'another password' });
    expect(byKey.status).toBe(403);
    await login(t, email, password);
  });

  it('limits failed logins per email: the 11th attempt is a 429 with Retry-After, even with the right password', async () => {
    const { email, password } = await createMember(t);
    for (let i = 0; i < 10; i++) {
      const res = await loginFrom(t, `10.2.0.${i}`, { email, password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const limited = await loginFrom(t, '10.2.1.1', { email, password });
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.body.error?.details).toEqual({ retry_after: retryAfter });
    // Another member is not affected by this email's failures.
    await login(t);
  });

  it('limits failed logins per client address across emails', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await loginFrom(t, '10.3.0.1', { email: `nobody-${i}@example.com`, password: 'guess' });
      expect(res.status).toBe(401);
    }
    const limited = await loginFrom(t, '10.3.0.1', { email: t.workspace.adminEmail, password: t.workspace.adminPassword });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await loginFrom(t, '10.3.0.2', { email: t.workspace.adminEmail, password: t.workspace.adminPassword })).status).toBe(200);
  });
});
