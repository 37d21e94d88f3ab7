import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from './database.js';

/** `%q%` for LIKE, with LIKE's own wildcards escaped (used with `escape '\'`). */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A case-insensitive "column contains q" on either dialect (ILIKE on PostgreSQL, LIKE on SQLite). */
export function containsText(dialect: DialectName, q: string): (column: string) => RawBuilder<SqlBool> {
  const pattern = likePattern(q);
  const op = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
  return (column) => sql<SqlBool>`${sql.ref(column)} ${op} ${pattern} escape '\\'`;
}
