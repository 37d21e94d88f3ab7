import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** The one handle to storage: the Kysely instance and which dialect is behind it. */
export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The PostgreSQL URL (for LISTEN connections); null on SQLite. */
  url: string | null;
  close(): Promise<void>;
}

export type Executor = Kysely<DB> | Transaction<DB>;

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
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', url: options.databaseUrl, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? 'parley.db';
  let filename = file;
  if (file !== ':memory:') {
    const dir = options.dataDir ?? './data';
    fs.mkdirSync(dir, { recursive: true });
    filename = path.join(dir, file);
  }
  const sqlite = new SqliteDatabase(filename);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', url: null, close: () => db.destroy() };
}
