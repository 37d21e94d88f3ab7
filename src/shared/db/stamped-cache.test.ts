import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import { createStampedCache } from './stamped-cache.js';

describe.each(DIALECTS)('the change-stamped read cache on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await sql`create table cache_probe (id integer primary key, v text)`.execute(t.database.db);
    await sql`insert into cache_probe (id, v) values (1, 'one')`.execute(t.database.db);
  });
  afterAll(async () => t.cleanup());

  /** A cache over cache_probe that counts its trips to the database. */
  const probe = (max?: number) => {
    const read = createStampedCache<string>(t.database.changeStamp, max);
    let loads = 0;
    const get = (id: number) =>
      read(String(id), async () => {
        loads++;
        const rows = await sql<{ v: string }>`select v from cache_probe where id = ${id}`.execute(t.database.db);
        return rows.rows[0]?.v;
      });
    return { get, loads: () => loads };
  };
  const write = (v: string) => sql`update cache_probe set v = ${v} where id = 1`.execute(t.database.db);

  it(dialect === 'sqlite' ? 'reads once while nothing changes, again after a change here' : 'reads every time', async () => {
    const c = probe();
    expect(await c.get(1)).toBe('one');
    expect(await c.get(1)).toBe('one');
    expect(c.loads()).toBe(dialect === 'sqlite' ? 1 : 2);
    await write('uno');
    expect(await c.get(1)).toBe('uno');
    // A missing row is not kept: it may be created without anyone asking again.
    expect(await c.get(2)).toBeUndefined();
    expect(await c.get(2)).toBeUndefined();
    expect(c.loads()).toBe(dialect === 'sqlite' ? 4 : 5);
    await write('one');
  });

  it.runIf(dialect === 'sqlite')('sees a commit by another connection (another process)', async () => {
    const c = probe();
    expect(await c.get(1)).toBe('one');
    const other = new SqliteDatabase(path.join(t.location, 'parley.db'));
    try {
      other.prepare(`update cache_probe set v = 'elsewhere' where id = 1`).run();
    } finally {
      other.close();
    }
    expect(await c.get(1)).toBe('elsewhere');
    expect(c.loads()).toBe(2);
    await write('one');
  });

  it.runIf(dialect === 'sqlite')('does not keep a row read while something changed, and keeps at most max rows', async () => {
    const read = createStampedCache<string>(t.database.changeStamp);
    let loads = 0;
    const racing = () =>
      read('1', async () => {
        loads++;
        const v = (await sql<{ v: string }>`select v from cache_probe where id = 1`.execute(t.database.db)).rows[0].v;
        await write(`changed ${loads}`); // a write lands between this read and its return
        return v;
      });
    expect(await racing()).toBe('one');
    expect(await racing()).toBe('changed 1');
    expect(loads).toBe(2);
    await write('one');

    await sql`insert into cache_probe (id, v) values (2, 'two'), (3, 'three')`.execute(t.database.db);
    const c = probe(2);
    for (const id of [1, 2, 1, 2]) await c.get(id);
    expect(c.loads()).toBe(2);
    await c.get(3); // a third row: the full cache starts again
    await c.get(1);
    expect(c.loads()).toBe(4);
  });

  it.runIf(dialect === 'sqlite')('moves the stamp on writes, rolled-back ones included, never on reads', async () => {
    const stamp = t.database.changeStamp!;
    const before = stamp();
    await sql`select * from cache_probe`.execute(t.database.db);
    expect(stamp()).toBe(before);
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await sql`update cache_probe set v = 'never' where id = 1`.execute(trx);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(stamp()).not.toBe(before);
  });
});
