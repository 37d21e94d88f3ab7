import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { rateLimits: { perKey: 5, perIp: 7 } });
  });
  afterAll(async () => t.close());

  it('limits each API key per minute with RateLimit-* headers and 429 RATE_LIMITED, and each IP', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api(t, 'GET', '/api/v1/agents');
      seen.push(res.status);
      if (i === 0) {
        expect(res.headers['ratelimit-limit']).toBe('5');
        expect(res.headers['ratelimit-remaining']).toBe('4');
        expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
      }
      if (i === 5) {
        expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(seen).toEqual([200, 200, 200, 200, 200, 429]);
    // Another key of the same account has its own budget…
    const other = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'second' });
    expect((await api(t, 'GET', '/api/v1/agents', undefined, { authorization: `Bearer ${other.secret}` })).status).toBe(200);
    // …but the address is limited too, credentials or not.
    const again = await api(t, 'GET', '/api/v1/agents', undefined, { authorization: `Bearer ${other.secret}` });
    expect(again.status).toBe(429);
    expect((await api(t, 'GET', '/api/v1/agents', undefined, {})).status).toBe(429);
    // Health checks and docs are not API calls.
    expect((await api(t, 'GET', '/healthz', undefined, {})).status).toBe(200);
  });
});
