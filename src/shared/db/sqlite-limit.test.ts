import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import { prepareQuery } from './prepared.js';

/** SQLite's limits are written `? + 0` (see SqliteLimitPlugin) and still limit by the bound value. */
describe('limits on SQLite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('sqlite');
    const now = new Date().toISOString();
    for (const id of ['a1', 'a2', 'a3', 'a4']) {
      await t.database.db.insertInto('accounts').values({ id, name: id, timezone: 'UTC', idle_end_minutes: 0, created_at: now, updated_at: now }).execute();
    }
  });
  afterAll(async () => t.cleanup());

  it('binds the limit as a value inside an expression, once per query and subquery', () => {
    const db = t.database.db;
    const inner = db.selectFrom('accounts').select('id').orderBy('id').limit(2);
    const compiled = db.selectFrom('accounts').select('id').where('id', 'in', inner).limit(1).compile();
    expect(compiled.sql).toMatch(/limit \? \+ 0\) limit \? \+ 0$/);
    expect(compiled.sql).not.toMatch(/\+ 0 \+ 0/);
    expect(compiled.parameters).toEqual([2, 1]);
  });

  it('returns as many rows as each run asks for, in plain and prepared queries', async () => {
    const db = t.database.db;
    for (const n of [0, 1, 3, 10]) {
      expect(await db.selectFrom('accounts').select('id').orderBy('id').limit(n).execute()).toHaveLength(Math.min(n, 4));
    }
    const firstN = prepareQuery(db, 1, (q, n: number) => q.selectFrom('accounts').select('id').orderBy('id').limit(n));
    expect((await firstN([3])).map((r) => r.id)).toEqual(['a1', 'a2', 'a3']);
    expect((await firstN([1])).map((r) => r.id)).toEqual(['a1']);
    const nested = await db
      .selectFrom('accounts')
      .select('id')
      .where('id', 'in', db.selectFrom('accounts').select('id').orderBy('id', 'desc').limit(2))
      .orderBy('id')
      .limit(5)
      .execute();
    expect(nested.map((r) => r.id)).toEqual(['a3', 'a4']);
  });
});
