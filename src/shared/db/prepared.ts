import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Compilable } from 'kysely';
import type { Executor } from './database.js';

/** Stand-ins no caller's value can equal by chance. */
const sentinel = (i: number) => `parley-param-${i}-${randomUUID()}`;

/**
 * A Kysely query built and compiled once, then run with new values: the hot reads of every API
 * request (the API key, the conversation, a page of messages) skip building the query tree and
 * compiling it to SQL again each time — a tenth of such a request's time. `build` receives
 * stand-ins for the parameters and must use each only as a value (`where(col, '=', p)`,
 * `limit(p)`); the query's shape cannot depend on them, so a query with optional parts is one
 * prepared query per shape. Runs on the given executor (the database or a transaction).
 */
export function prepareQuery<P extends unknown[], R>(
  executor: Executor,
  arity: P['length'],
  build: (db: Executor, ...params: P) => Compilable<R>,
): (params: P, on?: Executor) => Promise<R[]> {
  let compiled: { sql: string; slots: number[]; fixed: readonly unknown[] } | undefined;
  const compile = () => {
    const stand = Array.from({ length: arity }, (_, i) => sentinel(i));
    const slotOf = new Map(stand.map((s, i) => [s, i]));
    const query = build(executor, ...(stand as unknown as P)).compile();
    const slots = query.parameters.map((value) => (typeof value === 'string' ? (slotOf.get(value) ?? -1) : -1));
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`prepareQuery: parameter ${i} is not used as a value in: ${query.sql}`);
    }
    return { sql: query.sql, slots, fixed: query.parameters };
  };
  return async (params, on = executor) => {
    compiled ??= compile();
    const { sql, slots, fixed } = compiled;
    const values = slots.map((slot, i) => (slot < 0 ? fixed[i] : params[slot]));
    const result = await on.executeQuery<R>(CompiledQuery.raw(sql, values));
    return result.rows;
  };
}
