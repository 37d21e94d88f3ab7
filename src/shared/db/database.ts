import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { SqliteLimitPlugin } from './sqlite-limit.js';
import { withStatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

/** The one handle to storage: the Kysely instance and which dialect is behind it. */
export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The PostgreSQL URL (for LISTEN connections); null on SQLite. */
  url: string | null;
  /**
   * SQLite: how many times API keys, sessions or members have changed, by any connection or
   * process (a counter kept by triggers, migration 0010), so the authenticator can keep them in
   * memory while it stays the same. Null while this connection is inside a transaction, whose own
   * uncommitted changes could still be rolled back (and the counter with them). The function is
   * null on PostgreSQL, which reads them every time.
   */
  authChanges: (() => number | null) | null;
  /** Connections now: open, idle, and requests waiting for one (for GET /metrics). */
  poolUse(): PoolUse;
  close(): Promise<void>;
}

export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export type Executor = Kysely<DB> | Transaction<DB>;

/** Whether queries on this executor go to PostgreSQL (for its row locks, which SQLite has no syntax for). */
export const isPostgres = (executor: Executor): boolean => executor.getExecutor().adapter instanceof PostgresAdapter;

export interface DatabaseOptions {
  /** A postgres:// URL; when absent, SQLite in `dataDir`. */
  databaseUrl?: string | null;
  dataDir?: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  poolSize?: number;
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;

/** PostgreSQL values are parsed into the same shapes SQLite returns, so repositories see one form. */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) {
        return (v: string) => new Date(oid === PG_TIMESTAMP ? `${v}Z` : v).toISOString();
      }
      if (oid === PG_INT8) return (v: string) => Number(v);
      if (oid === PG_JSON || oid === PG_JSONB) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export function createDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes(),
      connectionTimeoutMillis: 5000,
    });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // Nor may a checked-out one between two queries (inside a transaction), when the pool's own
    // listener is off: PostgreSQL restarting would kill the process. Its next query fails (a 503)
    // and the pool drops it on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const poolUse = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, dialect: 'postgres', url: options.databaseUrl, authChanges: null, poolUse, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? 'parley.db';
  let filename = file;
  if (file !== ':memory:') {
    const dir = options.dataDir ?? './data';
    prepareDataDir(dir);
    filename = path.join(dir, file);
  }
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(filename);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted content is overwritten with zeros, not left in free space (an erased contact's data
    // must leave the file). The setting is per connection.
    sqlite.pragma('secure_delete = ON');
  } catch (err) {
    throw new Error(`cannot open the database ${path.resolve(filename)}: ${(err as Error).message}`, { cause: err });
  }
  const use = { inUse: 0, waiting: 0 };
  const db = new Kysely<DB>({
    dialect: new SqliteDialectKeepingErrors({ database: withStatementCache(sqlite) }, sqlite, use),
    plugins: [new SqliteLimitPlugin()],
  });
  // One connection, which queries and transactions take in turn.
  const poolUse = () => ({ total: 1, idle: 1 - use.inUse, waiting: use.waiting });
  return { db, dialect: 'sqlite', url: null, authChanges: sqliteAuthChanges(sqlite), poolUse, close: () => db.destroy() };
}

/** The counter of migration 0010, read directly (about 4 µs, most of it starting a read). */
function sqliteAuthChanges(sqlite: SqliteDatabase.Database): () => number | null {
  let read: SqliteDatabase.Statement | null = null;
  return () => {
    if (sqlite.inTransaction) return null;
    read ??= sqlite.prepare('select n from auth_changes where id = 1').pluck();
    return read.get() as number;
  };
}

/**
 * The data directory exists (created if missing) and is writable, or start-up stops here with one
 * clear sentence instead of a driver's error code later.
 */
function prepareDataDir(dir: string): void {
  const where = `the data directory ${path.resolve(dir)} (PARLEY_DATA_DIR)`;
  const why = (err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    const text = /^[A-Z]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
    return e.code ? `${text} (${e.code})` : text;
  };
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(dir);
  } catch {
    // missing: created below
  }
  if (stat && !stat.isDirectory()) throw new Error(`${where} is not a directory`);
  if (!stat) {
    try {
      makeDirectories(path.resolve(dir));
    } catch (err) {
      throw new Error(`cannot create ${where}: ${why(err)}`, { cause: err });
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new Error(`${where} is not writable: ${why(err)}`, { cause: err });
  }
}

/**
 * `mkdir -p`, one level at a time: Node's own `{recursive: true}` loops forever where the kernel
 * answers ENOENT for a parent that exists (under /proc, for one).
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM);
 * Kysely's own ROLLBACK then fails with "cannot rollback - no transaction is active", and that
 * error would replace the real one (a full disk would answer 500 instead of 503). So the rollback
 * is skipped when there is no transaction left to roll back.
 */
class SqliteDialectKeepingErrors extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly sqlite: SqliteDatabase.Database,
    private readonly use: { inUse: number; waiting: number },
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const { sqlite, use } = this;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
      // Counted for GET /metrics: who holds the one connection, and how many wait for it.
      override async acquireConnection(): Promise<DatabaseConnection> {
        use.waiting++;
        try {
          const connection = await super.acquireConnection();
          use.inUse = 1;
          return connection;
        } finally {
          use.waiting--;
        }
      }
      override async releaseConnection(): Promise<void> {
        use.inUse = 0;
        await super.releaseConnection();
      }
    })(this.config);
  }
}
