import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * A counter on each agent, raised in the same transaction as any change to its knowledge. A
 * process that keeps an agent's knowledge indexed in memory compares it with the counter it built
 * from, so a document added through another process (PostgreSQL, several servers) is searchable
 * at once there too.
 */
export const knowledgeRevisionMigration: ParleyMigration = {
  name: '0008-knowledge-revision',
  async up(db: Kysely<unknown>) {
    await sql`alter table agents add column knowledge_revision integer not null default 0`.execute(db);
  },
};
