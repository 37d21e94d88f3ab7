import type SqliteDatabase from 'better-sqlite3';

/**
 * better-sqlite3 behind Kysely prepares every query anew; preparing costs about as much as running
 * a small indexed query (a fifth of a simple API request's time in the benchmark). This hands
 * Kysely the same Database with `prepare` answered from a cache of compiled statements, keyed by
 * the SQL text. Reuse is safe: Kysely runs one statement at a time on SQLite's single connection
 * (its connection mutex), and a statement prepared before a schema change is re-prepared by SQLite
 * itself. Bounded, least recently used first out: `in (?, ?, …)` lists make many distinct texts.
 */
export function withStatementCache(db: SqliteDatabase.Database, max = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return (source: string) => {
        let stmt = cache.get(source);
        if (stmt) {
          // Most recently used last.
          cache.delete(source);
          cache.set(source, stmt);
          return stmt;
        }
        stmt = prepare(source);
        cache.set(source, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
        return stmt;
      };
    },
  });
}
