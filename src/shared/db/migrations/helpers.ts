import type { ColumnDataType, Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** Column types that differ between the two dialects, named once. */
export function columnTypes(dialect: DialectName) {
  return {
    timestamp: (dialect === 'postgres' ? 'timestamptz' : 'text') as ColumnDataType,
    json: (dialect === 'postgres' ? 'jsonb' : 'text') as ColumnDataType,
    bigint: (dialect === 'postgres' ? 'bigint' : 'integer') as ColumnDataType,
    /** An auto-incrementing integer primary key. */
    serial: (dialect === 'postgres' ? 'bigserial' : 'integer') as ColumnDataType,
  };
}

export interface ParleyMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
  /**
   * Undoes `up` (from 0012 on), so that tests of an older migration can take a database back to
   * the schema before it with its rows still there. Parley itself never migrates down.
   */
  down?(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}
