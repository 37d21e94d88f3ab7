import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from './helpers.js';

/** Fast regressions for the 5xx the fault suite's fuzz run found (test/faults/fuzz.test.ts). */
describe.each(DIALECTS)('fuzz findings on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('names an unknown query parameter called `constructor` or `__proto__` in a 400, not a 500', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversation_states?${name}=1&limit=abc`, headers: t.auth });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json<{ error: { code: string; details: Record<string, string[]> } }>();
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(Object.keys(body.error.details)).toContain(name);
      expect(body.error.details.limit).toBeDefined();
    }
  });

  it('refuses a lone surrogate in a JSON body with a 400 (PostgreSQL jsonb cannot hold it)', async () => {
    for (const payload of ['{"name":"x\\udc00y","keywords":["a\\ud800"]}', '{"name":"ok","keywords":["\\udfff"]}']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/agents/${t.workspace.agentId}`,
        headers: { ...t.auth, 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('BAD_REQUEST');
    }
    // A real pair, escaped, is a character like any other.
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${t.workspace.agentId}`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: '{"description":"robot \\ud83e\\udd16"}',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ data: { description: string } }>().data.description).toBe('robot 🤖');
  });
});
