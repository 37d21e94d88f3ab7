import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * Automation runs (issue 4): one run per (automation, event), enforced by a unique index so that
 * a consumer restarted after a crash, or a second process, can never run a rule twice for the
 * same event. Runs also remember the event type and the conversation acted on, so the run log
 * stays readable after the automation's event is changed.
 */
export const automationsMigration: ParleyMigration = {
  name: '0006-automations',
  async up(db: Kysely<unknown>) {
    await sql`create unique index automation_runs_event_uq on automation_runs (account_id, automation_id, event_id)`.execute(db);
    await sql`alter table automation_runs add column event_type text`.execute(db);
    await sql`alter table automation_runs add column conversation_id text`.execute(db);
  },
};
