import { sql } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import { eventIdExpressions } from '../../shared/db/migrations/0026-erasure.js';

/** Ids per `in (…)` list: well under SQLite's bound-parameter limit. */
const CHUNK = 500;

const REDACTED_DETAILS = '{"redacted":true}';

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export interface StoredEvent {
  id: number;
  type: string;
  data: string;
}

/** The queries of an erasure; every one runs in the erasing transaction. */
export function createErasureRepository({ dialect }: { dialect: DialectName }) {
  const refs = eventIdExpressions(dialect);
  return {
    /** Locks the contact until the erasure commits (PostgreSQL): no conversation of it can start meanwhile. */
    async lockContact(accountId: string, contactId: number, trx: Executor) {
      let q = trx.selectFrom('contacts').select(['id', 'email', 'claimed_email']).where('account_id', '=', accountId).where('id', '=', contactId);
      if (dialect === 'postgres') q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async conversationIdsOfContact(accountId: string, contactId: number, trx: Executor): Promise<string[]> {
      const rows = await trx.selectFrom('conversations').select('id').where('account_id', '=', accountId).where('contact_id', '=', contactId).execute();
      return rows.map((r) => r.id);
    },

    /** Which of these ids are the account's conversations (locked until commit on PostgreSQL). */
    async existingConversations(accountId: string, ids: string[], trx: Executor): Promise<string[]> {
      const found: string[] = [];
      for (const part of chunks(ids)) {
        let q = trx.selectFrom('conversations').select('id').where('account_id', '=', accountId).where('id', 'in', part).orderBy('id');
        if (dialect === 'postgres') q = q.forUpdate();
        found.push(...(await q.execute()).map((r) => r.id));
      }
      return found;
    },

    /** The events about these conversations, through the index of migration 0026. */
    async eventsOfConversations(accountId: string, conversationIds: string[], trx: Executor): Promise<StoredEvent[]> {
      const found: StoredEvent[] = [];
      for (const part of chunks(conversationIds)) {
        const rows = await trx
          .selectFrom('events')
          .select(['id', 'type', 'data'])
          .where('account_id', '=', accountId)
          .where(sql<string>`${refs.conversation}`, 'in', part)
          .execute();
        found.push(...rows);
      }
      return found;
    },

    /** The contact.* events of a contact. */
    async eventsOfContact(accountId: string, contactId: number, trx: Executor): Promise<StoredEvent[]> {
      return trx
        .selectFrom('events')
        .select(['id', 'type', 'data'])
        .where('account_id', '=', accountId)
        .where(sql<number | string>`${refs.contact}`, '=', dialect === 'postgres' ? String(contactId) : contactId)
        .where('type', 'in', ['contact.created', 'contact.updated', 'contact.deleted'])
        .execute();
    },

    async replaceEventData(accountId: string, id: number, data: string, trx: Executor): Promise<void> {
      await trx.updateTable('events').set({ data }).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    async deliveriesOfEvents(accountId: string, eventIds: number[], trx: Executor) {
      const found: Array<{ id: string; payload: string; last_error: string | null }> = [];
      for (const part of chunks(eventIds)) {
        found.push(
          ...(await trx
            .selectFrom('webhook_deliveries')
            .select(['id', 'payload', 'last_error'])
            .where('account_id', '=', accountId)
            .where('event_id', 'in', part)
            .execute()),
        );
      }
      return found;
    },

    async replaceDelivery(accountId: string, id: string, payload: string, lastError: string | null, trx: Executor): Promise<void> {
      await trx.updateTable('webhook_deliveries').set({ payload, last_error: lastError }).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /** Automation runs and notifications about these conversations or events; returns how many went. */
    async deleteRunsAndNotifications(accountId: string, conversationIds: string[], eventIds: number[], trx: Executor): Promise<number> {
      let n = 0;
      for (const table of ['automation_runs', 'notifications'] as const) {
        for (const part of chunks(conversationIds)) {
          const res = await trx.deleteFrom(table).where('account_id', '=', accountId).where('conversation_id', 'in', part).executeTakeFirst();
          n += Number(res.numDeletedRows);
        }
        for (const part of chunks(eventIds)) {
          const res = await trx.deleteFrom(table).where('account_id', '=', accountId).where('event_id', 'in', part).executeTakeFirst();
          n += Number(res.numDeletedRows);
        }
      }
      return n;
    },

    /**
     * Stored answers to repeated requests (kept a day) whose path or body holds one of these
     * strings; `_` and `%` in them match loosely, so callers check what they get.
     */
    async idempotencyRecordsMentioning(accountId: string, needles: string[], trx: Executor) {
      const found: Array<{ principal: string; key: string; path: string; response_body: string | null }> = [];
      for (const part of chunks(needles)) {
        found.push(
          ...(await trx
            .selectFrom('idempotency_keys')
            .select(['principal', 'key', 'path', 'response_body'])
            .where('account_id', '=', accountId)
            .where((eb) => eb.or(part.flatMap((n) => [eb('response_body', 'like', `%${n}%`), eb('path', 'like', `%${n}%`)])))
            .execute()),
        );
      }
      return found;
    },

    async deleteIdempotencyRecords(accountId: string, records: Array<{ principal: string; key: string }>, trx: Executor): Promise<void> {
      for (const r of records) {
        await trx
          .deleteFrom('idempotency_keys')
          .where('account_id', '=', accountId)
          .where('principal', '=', r.principal)
          .where('key', '=', r.key)
          .execute();
      }
    },

    /** Mail from these addresses that no conversation took (bounces, loops, rate-limited). */
    async deleteUnthreadedMailFrom(accountId: string, addresses: string[], trx: Executor): Promise<void> {
      if (addresses.length === 0) return;
      await trx
        .deleteFrom('email_messages')
        .where('account_id', '=', accountId)
        .where('conversation_id', 'is', null)
        .where(sql<string>`lower(from_address)`, 'in', addresses)
        .execute();
    },

    /** Audit entries about the contact or the conversations keep who did what to which; their details go. */
    async redactAuditEntries(accountId: string, contactId: number | null, conversationIds: string[], trx: Executor): Promise<void> {
      const redact = (q: ReturnType<typeof base>) => q.set({ details: REDACTED_DETAILS }).where('details', '!=', REDACTED_DETAILS).execute();
      const base = () => trx.updateTable('audit_log').where('account_id', '=', accountId);
      if (contactId !== null) await redact(base().where('target_type', '=', 'contact').where('target_id', '=', String(contactId)));
      for (const part of chunks(conversationIds)) await redact(base().where('target_type', '=', 'conversation').where('target_id', 'in', part));
    },

    /**
     * Ends the links of the account's finished bulk exports: their files may hold what is being
     * erased. The export worker deletes a file within a second of its link's end.
     */
    async withdrawExports(accountId: string, now: string, trx: Executor): Promise<void> {
      await trx
        .updateTable('exports')
        .set({ expires_at: now, updated_at: now })
        .where('account_id', '=', accountId)
        .where('status', '=', 'done')
        .where('expires_at', '>', now)
        .execute();
    },

    /** Deletes the conversations (messages, tags, mail, channel deliveries, search texts cascade). */
    async deleteConversations(accountId: string, ids: string[], trx: Executor): Promise<number> {
      let n = 0;
      for (const part of chunks(ids)) {
        const res = await trx.deleteFrom('conversations').where('account_id', '=', accountId).where('id', 'in', part).executeTakeFirst();
        n += Number(res.numDeletedRows);
      }
      return n;
    },

    async deleteContact(accountId: string, contactId: number, trx: Executor): Promise<boolean> {
      const res = await trx.deleteFrom('contacts').where('account_id', '=', accountId).where('id', '=', contactId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type ErasureRepository = ReturnType<typeof createErasureRepository>;
