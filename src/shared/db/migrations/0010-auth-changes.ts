import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/** The tables an authenticated request's principal is read from. */
const AUTH_TABLES = ['api_keys', 'sessions', 'members'] as const;

/**
 * SQLite: a counter that triggers raise on every insert, update and delete of API keys, sessions
 * and members, whichever connection or process makes it (the CLI revokes keys from its own). The
 * authenticator keeps keys and sessions in memory while it is unchanged (`Database.authChanges`),
 * so writes to other tables no longer send every request back to the database for its key.
 * PostgreSQL reads the key every time and needs none of this.
 */
export const authChangesMigration: ParleyMigration = {
  name: '0010-auth-changes',
  async up(db: Kysely<unknown>, dialect) {
    if (dialect === 'postgres') return;
    await sql`create table auth_changes (id integer primary key check (id = 1), n integer not null)`.execute(db);
    await sql`insert into auth_changes (id, n) values (1, 0)`.execute(db);
    for (const table of AUTH_TABLES) {
      for (const op of ['insert', 'update', 'delete'] as const) {
        await sql`create trigger ${sql.id(`${table}_auth_${op}`)} after ${sql.raw(op)} on ${sql.id(table)} begin
            update auth_changes set n = n + 1 where id = 1;
          end`.execute(db);
      }
    }
  },
};
