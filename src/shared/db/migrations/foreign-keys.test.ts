import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../../test/helpers.js';

interface ForeignKey {
  table: string;
  columns: string[];
  parent: string;
}

/**
 * Deleting a row makes the database find the rows that refer to it, by the referring columns
 * alone: without an index that starts with them, every deleted conversation read all of
 * `messages` (SQLite's cascade, PostgreSQL's RI trigger), and erasing or pruning conversations
 * took longer the more messages the whole server held.
 */
describe.each(DIALECTS)('foreign keys on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
  });
  afterAll(async () => t.cleanup());

  async function foreignKeys(): Promise<ForeignKey[]> {
    const db = t.database.db;
    if (dialect === 'postgres') {
      const { rows } = await sql<{ table: string; columns: string[]; parent: string }>`
        select c.conrelid::regclass::text as table, c.confrelid::regclass::text as parent,
               array(select a.attname from unnest(c.conkey) with ordinality k(n, i)
                     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as columns
          from pg_constraint c
          join pg_namespace s on s.oid = c.connamespace
         where c.contype = 'f' and s.nspname = current_schema()`.execute(db);
      return rows;
    }
    const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
    const out: ForeignKey[] = [];
    for (const { name } of tables) {
      const fks = (await sql<{ id: number; seq: number; table: string; from: string }>`select * from pragma_foreign_key_list(${name})`.execute(db)).rows;
      for (const id of new Set(fks.map((f) => f.id))) {
        const parts = fks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
        out.push({ table: name, columns: parts.map((p) => p.from), parent: parts[0].table });
      }
    }
    return out;
  }

  /** Each index of the table as its leading columns, in order. */
  async function indexes(table: string): Promise<string[][]> {
    const db = t.database.db;
    if (dialect === 'postgres') {
      const { rows } = await sql<{ columns: string[] }>`
        select array(select a.attname from unnest(i.indkey) with ordinality k(n, o)
                     left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o)::text[] as columns
          from pg_index i where i.indrelid = ${table}::regclass`.execute(db);
      return rows.map((r) => r.columns);
    }
    const list = (await sql<{ name: string }>`select name from pragma_index_list(${table})`.execute(db)).rows;
    const out: string[][] = [];
    for (const { name } of list) {
      out.push((await sql<{ name: string | null }>`select name from pragma_index_info(${name}) order by seqno`.execute(db)).rows.map((r) => r.name ?? ''));
    }
    // An INTEGER PRIMARY KEY is the table's rowid: itself an index.
    const pk = (await sql<{ name: string; pk: number; type: string }>`select name, pk, type from pragma_table_info(${table}) where pk > 0`.execute(db)).rows;
    if (pk.length === 1 && pk[0].type.toLowerCase() === 'integer') out.push([pk[0].name]);
    return out;
  }

  it('has an index leading with the columns of every foreign key, so deleting a parent row reads only its children', async () => {
    const missing: string[] = [];
    const keys = await foreignKeys();
    expect(keys.length).toBeGreaterThan(20);
    for (const fk of keys) {
      const leading = (await indexes(fk.table)).some((ix) => fk.columns.every((c, i) => ix[i] === c));
      if (!leading) missing.push(`${fk.table} (${fk.columns.join(', ')}) → ${fk.parent}`);
    }
    expect(missing).toEqual([]);
  });
});
