import type SqliteDatabase from 'better-sqlite3';

/** What Kysely's SQLite driver uses of a prepared statement. */
interface DriverStatement {
  readonly reader: boolean;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): SqliteDatabase.RunResult;
  iterate(params: unknown[]): IterableIterator<unknown>;
}

type RowBuilder = (values: unknown[]) => Record<string, unknown>;

/**
 * A function that turns one raw row (an array of values) into the object better-sqlite3 would
 * have made, written for these columns so that V8 gives every row the same shape. Column names
 * are JSON-quoted into the source. A column named `__proto__` is assigned after the literal, as
 * better-sqlite3 assigns it (through the prototype setter), not defined as an own property.
 */
function rowBuilder(columns: string[]): RowBuilder {
  const fields: string[] = [];
  const assigned: string[] = [];
  columns.forEach((name, i) => {
    const key = JSON.stringify(name);
    if (name === '__proto__') assigned.push(`o[${key}] = v[${i}];`);
    else fields.push(`${key}: v[${i}]`);
  });
  // Generated from the column names only, each JSON-quoted.
  return new Function('v', `const o = { ${fields.join(', ')} }; ${assigned.join(' ')} return o;`) as RowBuilder;
}

/**
 * A reading statement that asks better-sqlite3 for raw rows (arrays) and builds the objects in
 * JavaScript: better-sqlite3 sets each property of each row object from C++, about 0.4 µs per
 * value, which made handing 20 conversations to JavaScript 300 µs; arrays plus a builder made
 * for the statement's columns take a quarter of that. Same objects, same values.
 */
function rawReader(stmt: SqliteDatabase.Statement): DriverStatement {
  stmt.raw(true);
  let width = 0;
  let build: RowBuilder = () => ({});
  const readColumns = () => {
    const names = stmt.columns().map((c) => c.name);
    width = names.length;
    build = rowBuilder(names);
  };
  readColumns();
  // Another process may have changed the schema (`select *` gains a column): look again.
  const toObject = (values: unknown[]) => {
    if (values.length !== width) readColumns();
    return build(values);
  };
  return {
    reader: true,
    all: (params) => (stmt.all(params) as unknown[][]).map(toObject),
    run: (params) => stmt.run(params),
    *iterate(params) {
      for (const values of stmt.iterate(params) as IterableIterator<unknown[]>) yield toObject(values);
    },
  };
}

/** Statements that change the schema: the cached statements' column lists may be stale after one. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

/**
 * better-sqlite3 behind Kysely prepares every query anew; preparing costs about as much as running
 * a small indexed query (a fifth of a simple API request's time in the benchmark). This hands
 * Kysely the same Database with `prepare` answered from a cache of compiled statements, keyed by
 * the SQL text, reading rows as arrays (see rawReader). Reuse is safe: Kysely runs one statement
 * at a time on SQLite's single connection (its connection mutex), and a statement prepared before
 * a schema change is re-prepared by SQLite itself; the cache is emptied when this connection
 * changes the schema. Bounded, least recently used first out: `in (?, ?, …)` lists make many
 * distinct texts.
 */
export function withStatementCache(db: SqliteDatabase.Database, max = 500): SqliteDatabase.Database {
  const cache = new Map<string, DriverStatement>();
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
        const prepared = prepare(source);
        if (SCHEMA_CHANGE.test(source)) {
          cache.clear();
          return prepared;
        }
        stmt = prepared.reader ? rawReader(prepared) : prepared;
        cache.set(source, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
        return stmt;
      };
    },
  });
}
