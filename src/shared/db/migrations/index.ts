import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Database } from '../database.js';
import { coreMigration } from './0001-core.js';
import { knowledgeMigration } from './0002-knowledge.js';
import { operatorsMigration } from './0003-operators.js';
import { eventsMigration } from './0004-events.js';
import { automationsMigration } from './0006-automations.js';
import { analyticsMigration } from './0007-analytics.js';
import { knowledgeRevisionMigration } from './0008-knowledge-revision.js';
import { searchTrigramsMigration } from './0009-search-trigrams.js';
import { authChangesMigration } from './0010-auth-changes.js';
import { eventAudienceMigration } from './0011-event-audience.js';
import { widgetMigration } from './0012-widget.js';
import { businessHoursMigration } from './0013-business-hours.js';
import { visitorSessionsMigration } from './0014-visitor-sessions.js';
import { conversationHandoffMigration } from './0015-conversation-handoff.js';
import { messageAuthorsMigration } from './0016-message-authors.js';
import { operatorTakeoverMigration } from './0017-operator-takeover.js';
import { teamsMigration } from './0018-teams.js';
import { agentHandoffMigration } from './0019-agent-handoff.js';
import { messageContextMigration } from './0020-message-context.js';
import { teamInboxMigration } from './0021-team-inbox.js';
import { channelsEmailMigration } from './0022-channels-email.js';
import { auditLogMigration } from './0023-audit-log.js';
import { retentionMigration } from './0024-retention.js';
import { exportsMigration } from './0025-exports.js';
import { erasureMigration } from './0026-erasure.js';
import { foreignKeyIndexesMigration } from './0027-foreign-key-indexes.js';
import type { ParleyMigration } from './helpers.js';

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: ParleyMigration[] = [
  coreMigration,
  knowledgeMigration,
  operatorsMigration,
  eventsMigration,
  automationsMigration,
  analyticsMigration,
  knowledgeRevisionMigration,
  searchTrigramsMigration,
  authChangesMigration,
  eventAudienceMigration,
  widgetMigration,
  businessHoursMigration,
  visitorSessionsMigration,
  conversationHandoffMigration,
  messageAuthorsMigration,
  operatorTakeoverMigration,
  teamsMigration,
  agentHandoffMigration,
  messageContextMigration,
  teamInboxMigration,
  channelsEmailMigration,
  auditLogMigration,
  retentionMigration,
  exportsMigration,
  erasureMigration,
  foreignKeyIndexesMigration,
];

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrations: Record<string, Migration> = {};
  for (const m of MIGRATIONS) {
    migrations[m.name] = { up: (db: Kysely<unknown>) => m.up(db, database.dialect) };
  }
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'parley_migrations',
    migrationLockTableName: 'parley_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Takes a database back to the schema just after `name` (tests of an older migration): every later
 * migration is undone, newest first, and forgotten, so that migrateToLatest applies it again.
 */
export async function undoMigrationsAfter(database: Database, name: string): Promise<string[]> {
  const at = MIGRATIONS.findIndex((m) => m.name === name);
  const later = MIGRATIONS.slice(at + 1).reverse();
  for (const m of later) {
    if (!m.down) throw new Error(`migration ${m.name} cannot be undone`);
    await m.down(database.db as unknown as Kysely<unknown>, database.dialect);
    await sql`delete from parley_migrations where name = ${m.name}`.execute(database.db);
  }
  return later.map((m) => m.name).reverse();
}
