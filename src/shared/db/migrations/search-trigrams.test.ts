import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers.js';
import { api } from '../../../../test/http.js';
import { migrateToLatest, undoMigrationsAfter } from './index.js';

/**
 * Migration 0009 on a database that already holds conversations and contacts (an upgrade): the
 * trigram indexes are filled from the existing rows, so a search that needs them (fewer matches
 * than a page) finds conversations created before the upgrade.
 */
describe('migration 0009 (search trigrams) on an existing SQLite database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('indexes the conversations and contacts that were there before it', async () => {
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'h@example.com', name: 'Hepzibah Nightingale' }))
      .body.data.id;
    const titled = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact, title: 'Cardamom pods' }))
      .body.data.id;

    // Back to the schema before 0009 (and so before 0010 and 0011, which come after it), with the rows still there.
    const db = t.database.db;
    const later = await undoMigrationsAfter(t.database, '0011-event-audience');
    await sql`alter table events drop column audience`.execute(db);
    await sql`delete from parley_migrations where name = '0011-event-audience'`.execute(db);
    for (const table of ['api_keys', 'sessions', 'members']) {
      for (const op of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.id(`${table}_auth_${op}`)}`.execute(db);
    }
    await sql`drop table auth_changes`.execute(db);
    await sql`delete from parley_migrations where name = '0010-auth-changes'`.execute(db);
    for (const trigger of [
      'conversation_texts_insert',
      'conversation_texts_update',
      'conversation_texts_delete',
      'conversation_texts_fts_insert',
      'conversation_texts_fts_delete',
      'conversation_texts_fts_update',
      'contacts_fts_insert',
      'contacts_fts_delete',
      'contacts_fts_update',
    ]) {
      await sql`drop trigger ${sql.id(trigger)}`.execute(db);
    }
    for (const table of ['conversation_texts_fts', 'conversation_texts', 'contacts_fts']) await sql`drop table ${sql.id(table)}`.execute(db);
    await sql`delete from parley_migrations where name = '0009-search-trigrams'`.execute(db);

    expect(await migrateToLatest(t.database)).toEqual(['0009-search-trigrams', '0010-auth-changes', '0011-event-audience', ...later]);
    const search = async (q: string) =>
      (await api<{ data: Array<{ id: string }> }>(t, 'GET', `/api/v1/conversations?q=${encodeURIComponent(q)}`)).body.data.map((c) => c.id);
    expect(await search('cardamom')).toEqual([titled]);
    expect(await search('nightingale')).toEqual([titled]);
    const { rows } = await sql<{ n: number }>`select count(*) as n from contacts_fts where contacts_fts match ${'"hepzibah"'}`.execute(db);
    expect(rows[0].n).toBe(1);
  });
});
