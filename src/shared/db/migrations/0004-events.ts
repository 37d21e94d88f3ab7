import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * The event log and everything that consumes it (issue 4): webhook endpoints and their durable
 * deliveries (an outbox written with the event), automations and their runs, consumer
 * checkpoints, idempotency records, and the state of asynchronous replies.
 */
export const eventsMigration: ParleyMigration = {
  name: '0004-events',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    const ts = sql.raw(String(t.timestamp));
    const json = sql.raw(String(t.json));
    const serial =
      dialect === 'postgres' ? sql`id bigserial primary key` : sql`id integer primary key autoincrement`;

    // Append-only. `source` marks events caused by automations, so automations don't re-trigger.
    await sql`create table events (
      ${serial},
      account_id text not null references accounts(id) on delete cascade,
      type text not null,
      data ${json} not null,
      source text,
      created_at ${ts} not null
    )`.execute(db);
    await sql`create index events_account_idx on events (account_id, id)`.execute(db);
    await sql`create index events_account_type_idx on events (account_id, type, id)`.execute(db);

    await sql`create table webhook_endpoints (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      url text not null,
      description text not null default '',
      events ${json} not null,
      secret text not null,
      active integer not null default 1,
      failing_since ${ts},
      deactivated_at ${ts},
      created_at ${ts} not null,
      updated_at ${ts} not null
    )`.execute(db);
    await sql`create index webhook_endpoints_account_idx on webhook_endpoints (account_id, created_at, id)`.execute(db);

    await sql`create table webhook_deliveries (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      endpoint_id text not null references webhook_endpoints(id) on delete cascade,
      event_id ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')} not null,
      event_type text not null,
      payload ${json} not null,
      status text not null,
      attempts integer not null default 0,
      next_attempt_at ${ts},
      locked_until ${ts},
      last_status_code integer,
      last_error text,
      last_duration_ms integer,
      delivered_at ${ts},
      created_at ${ts} not null,
      updated_at ${ts} not null
    )`.execute(db);
    await sql`create index webhook_deliveries_due_idx on webhook_deliveries (status, next_attempt_at)`.execute(db);
    await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (account_id, endpoint_id, created_at, id)`.execute(db);

    await sql`create table automations (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      name text not null,
      event text not null,
      conditions ${json} not null,
      actions ${json} not null,
      active integer not null default 1,
      created_at ${ts} not null,
      updated_at ${ts} not null
    )`.execute(db);
    await sql`create index automations_account_idx on automations (account_id, event, active)`.execute(db);

    await sql`create table automation_runs (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      automation_id text not null references automations(id) on delete cascade,
      event_id ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')} not null,
      matched integer not null,
      status text not null,
      actions ${json} not null,
      error text,
      created_at ${ts} not null
    )`.execute(db);
    await sql`create index automation_runs_automation_idx on automation_runs (account_id, automation_id, created_at, id)`.execute(db);

    // Where each log consumer (automations, …) has got to; one row per consumer.
    await sql`create table event_consumers (
      name text primary key,
      last_event_id ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')} not null default 0,
      updated_at ${ts} not null
    )`.execute(db);

    await sql`create table idempotency_keys (
      account_id text not null references accounts(id) on delete cascade,
      principal text not null,
      key text not null,
      method text not null,
      path text not null,
      request_hash text not null,
      status text not null,
      response_status integer,
      response_body text,
      response_type text,
      locked_until ${ts},
      created_at ${ts} not null,
      primary key (account_id, principal, key)
    )`.execute(db);
    await sql`create index idempotency_keys_created_idx on idempotency_keys (created_at)`.execute(db);

    // Asynchronous replies are claimed by one worker at a time with a lease.
    await sql`alter table messages add column locked_until ${ts}`.execute(db);
    await sql`alter table messages add column reply_to_id ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')}`.execute(db);
    await sql`create index messages_pending_idx on messages (status) where status = 'pending'`.execute(db);

  },
};
