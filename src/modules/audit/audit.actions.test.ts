import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { AUDITED_ROUTES, NOT_AUDITED } from './audit.actions.js';

/** Every route that changes or deletes something decides whether the audit log records it. */
describe('the list of audited routes', () => {
  let t: TestApp;
  let routes: string[];
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
  });
  afterAll(async () => t.close());

  it('covers every route of the API that changes or deletes something', () => {
    const changing = routes.filter((r) => /^(POST|PATCH|PUT|DELETE) \/api\//.test(r));
    const undecided = changing.filter((r) => !(r in AUDITED_ROUTES) && !(r in NOT_AUDITED));
    expect(undecided, 'add these to AUDITED_ROUTES or NOT_AUDITED in audit.actions.ts').toEqual([]);
    expect(changing.filter((r) => r.startsWith('DELETE ') && r in NOT_AUDITED)).toEqual(['DELETE /api/v1/widget/sessions/current']);
  });

  it('names only routes that exist, each once, with dotted actions', () => {
    const named = [...Object.keys(AUDITED_ROUTES), ...Object.keys(NOT_AUDITED)];
    expect(named.filter((r) => !routes.includes(r))).toEqual([]);
    expect(Object.keys(AUDITED_ROUTES).filter((r) => r in NOT_AUDITED)).toEqual([]);
    for (const route of Object.values(AUDITED_ROUTES)) expect(route.action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });
});
