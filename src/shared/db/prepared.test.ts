import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import { prepareQuery } from './prepared.js';

describe.each(DIALECTS)('prepared queries on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    const now = new Date().toISOString();
    for (const [id, name] of [['a1', 'First'], ['a2', 'Second'], ['a3', 'Third']]) {
      await t.database.db.insertInto('accounts').values({ id, name, timezone: 'UTC', idle_end_minutes: 0, created_at: now, updated_at: now }).execute();
    }
  });
  afterAll(async () => t.cleanup());

  const byName = () =>
    prepareQuery(t.database.db, 2, (q, name: string, limit: number) =>
      q.selectFrom('accounts').select(['id', 'name']).where('name', '>=', name).orderBy('name').limit(limit),
    );

  it('runs one compiled query with new values each time', async () => {
    const run = byName();
    expect(await run(['S', 10])).toEqual([{ id: 'a2', name: 'Second' }, { id: 'a3', name: 'Third' }]);
    expect(await run(['A', 1])).toEqual([{ id: 'a1', name: 'First' }]);
    // A value that looks like SQL is still a value.
    expect(await run(["' or 1=1 --", 5])).toHaveLength(3);
  });

  it('runs inside a transaction and sees its uncommitted writes', async () => {
    const run = byName();
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        const now = new Date().toISOString();
        await trx.insertInto('accounts').values({ id: 'a4', name: 'Zulu', timezone: 'UTC', idle_end_minutes: 0, created_at: now, updated_at: now }).execute();
        expect(await run(['Z', 5], trx)).toEqual([{ id: 'a4', name: 'Zulu' }]);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await run(['Z', 5])).toEqual([]);
  });

  it('refuses a builder that does not use a parameter as a value', async () => {
    const bad = prepareQuery<[string], { id: string }>(t.database.db, 1, (q) => q.selectFrom('accounts').select('id'));
    await expect(bad(['x'])).rejects.toThrow(/parameter 0 is not used/);
  });
});
