import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

/** The cached statements hand Kysely the same rows better-sqlite3 itself would. */
describe('the SQLite statement cache', () => {
  let plain: SqliteDatabase.Database;
  let cached: SqliteDatabase.Database;
  beforeEach(() => {
    plain = new SqliteDatabase(':memory:');
    cached = withStatementCache(plain, 3);
    plain.exec(`create table t (id integer primary key, name text, score real, data blob, note text);
      insert into t values (1, 'a', 1.5, x'0102', null), (2, 'b"q', -2, null, 'n');`);
  });
  afterEach(() => plain.close());

  const same = (sql: string, params: unknown[] = []) => {
    const expected = plain.prepare(sql).all(params);
    expect(cached.prepare(sql).all(params)).toEqual(expected);
    expect(cached.prepare(sql).all(params)).toEqual(expected); // from the cache
    expect([...cached.prepare(sql).iterate(params)]).toEqual(expected);
    return expected;
  };

  it('builds the same row objects: every type, odd and repeated names, no rows', () => {
    expect(same('select * from t order by id')).toHaveLength(2);
    same('select id as "we""ird name", name as "", score * 2 as "2x" from t where id > ?', [0]);
    same('select 1 as a, 2 as a');
    same('select * from t where id = ?', [99]);
    expect(cached.prepare('insert into t (name) values (?) returning *').all(['c'])).toEqual([
      { id: 3, name: 'c', score: null, data: null, note: null },
    ]);
    // A column named __proto__ is left to better-sqlite3 (an object literal would set the prototype).
    const [proto] = same('select 1 as "__proto__", 2 as b') as object[];
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('sees a column added by this connection or by another one', () => {
    expect(Object.keys(cached.prepare('select * from t').all([])[0] as object)).not.toContain('extra');
    cached.prepare('alter table t add column extra text').run([]);
    expect((cached.prepare('select * from t').all([])[0] as Record<string, unknown>).extra).toBeNull();

    const other = withStatementCache(plain);
    const before = other.prepare('select * from t').all([]);
    plain.exec(`alter table t add column more integer default 7`); // not through `other`
    const after = other.prepare('select * from t').all([]) as Array<Record<string, unknown>>;
    expect(after[0].more).toBe(7);
    expect(after).toHaveLength(before.length);
  });

  it('runs writes, reuses a cached statement and keeps at most `max` of them', () => {
    expect(cached.prepare('update t set name = ? where id = ?').run(['z', 1]).changes).toBe(1);
    expect(plain.prepare('select name from t where id = 1').get()).toEqual({ name: 'z' });
    const first = cached.prepare('select 0 as n');
    expect(cached.prepare('select 0 as n')).toBe(first);
    for (let i = 1; i <= 3; i++) expect(cached.prepare(`select ${i} as n`).all([])).toEqual([{ n: i }]);
    // Three newer statements (max 3) pushed the first one out: it is prepared anew.
    const again = cached.prepare('select 0 as n');
    expect(again).not.toBe(first);
    expect(again.all([])).toEqual([{ n: 0 }]);
  });
});
