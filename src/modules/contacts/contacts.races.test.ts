import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, sleep, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';

/**
 * Find-or-create racing the deletion of the contact it finds: the contact is found (200) or made
 * again (201), never a 404 the route does not have. On PostgreSQL the insert can meet the
 * contact, which is then deleted before the locked read.
 */
describe.each(DIALECTS)('find-or-create racing the contact’s deletion on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  it('answers 200 or 201, and the contact exists afterwards if a call created it', async () => {
    for (let round = 0; round < 8; round++) {
      const email = `again-${round}@example.com`;
      const first = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email });
      const findOrCreate = () => api<{ data: { id: number }; created: boolean }>(t, 'POST', '/api/v1/contacts', { email, metadata: { round } });
      const results = await Promise.all([
        findOrCreate(),
        findOrCreate(),
        sleep(round % 3).then(() => api(t, 'DELETE', `/api/v1/contacts/${first.body.data.id}`, undefined, admin.headers)),
        findOrCreate(),
        findOrCreate(),
      ]);
      expect(results[2].status).toBe(204);
      const calls = results.filter((_, i) => i !== 2);
      for (const r of calls) expect([200, 201]).toContain(r.status);
      const made = calls.filter((r) => r.status === 201);
      const found = await api<{ data: { id: number }[] }>(t, 'GET', `/api/v1/contacts?email=${email}`);
      expect(found.body.data.length).toBe(made.length > 0 ? 1 : 0);
    }
  });
});
