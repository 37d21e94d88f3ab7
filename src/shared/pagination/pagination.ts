import { Type } from '@sinclair/typebox';
import { sql, type RawBuilder } from 'kysely';
import { badRequest } from '../errors/errors.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** The query parameters every collection takes. */
export const PageQuerySchema = {
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from a previous response' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Results per page (1–100)' }),
  ),
};

export const PaginationSchema = Type.Object({
  cursor: Type.Union([Type.String(), Type.Null()]),
  has_more: Type.Boolean(),
});

export type CursorValue = string | number;

/** A cursor is base64url JSON of the sort key of the last row of a page; opaque to callers. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor with `types` giving each key's type; anything else is a
 * 400, so a tampered or truncated cursor can never reach SQL.
 */
export function decodeCursor(cursor: string | undefined, types: Array<'string' | 'number'>): CursorValue[] | null {
  if (cursor === undefined || cursor === '') return null;
  const invalid = () => badRequest('Invalid cursor', { cursor: ['is not a cursor returned by this collection'] });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length) throw invalid();
  parsed.forEach((v, i) => {
    if (typeof v !== types[i]) throw invalid();
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw invalid();
    if (typeof v === 'string' && (v.length > 200 || v.includes('\u0000'))) throw invalid();
  });
  return parsed as CursorValue[];
}

/**
 * The keyset condition "after this row" for an ordering on (columns…) all ascending or all
 * descending, as a row-value comparison that both SQLite and PostgreSQL index well.
 */
export function afterKey(columns: string[], values: CursorValue[], direction: 'asc' | 'desc'): RawBuilder<boolean> {
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const vals = sql.join(values.map((v) => sql`${v}`));
  return sql<boolean>`(${cols}) ${op} (${vals})`;
}

export interface Page<T> {
  items: T[];
  pagination: { cursor: string | null; has_more: boolean };
}

/** Turns `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorValue[], present: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    pagination: { cursor: hasMore && last ? encodeCursor(keyOf(last)) : null, has_more: hasMore },
  };
}
