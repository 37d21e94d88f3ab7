import { sql } from 'kysely';
import type { Database, Executor } from '../../shared/db/database.js';
import { sourceOf, type Principal } from '../../shared/auth/principal.js';
import { notFound } from '../../shared/errors/errors.js';
import type { EventLog } from '../events/events.log.js';
import type { AttachmentsUseCases } from '../attachments/attachments.usecases.js';
import type { ErasedAnalytics } from '../analytics/analytics.erased.js';
import { createErasureRepository, type StoredEvent } from './erasure.repository.js';
import { isRedacted, mentions, redactDeliveryError, redactEventData } from './erasure.redact.js';

export type ErasureReason = 'deleted' | 'retention';

/**
 * Erasure (issue 18): deleting a contact, or conversations, removes or redacts every copy of what
 * they held, in one transaction with the deletion:
 * - events stay in the log, in sequence, with their type and ids; their data becomes
 *   `{redacted: true, contact_id?, conversation_id?, message_id?}`;
 * - webhook deliveries carry the redacted event, and keep only the status line of an answer;
 * - stored answers to repeated requests (idempotency) that hold them are dropped;
 * - automation runs and members' notifications about them are deleted;
 * - attachments' rows go (their bytes after commit), mail not threaded into a conversation from the
 *   contact's address goes, and messages, tags, mail threads, channel deliveries and the search
 *   indexes go with the conversations (foreign keys and triggers);
 * - audit entries about the contact or the conversations keep their action, actor and target,
 *   their details become `{"redacted":true}`.
 * - analytics keep what they counted of them, as counts per 15 minutes (analytics.erased.ts).
 *
 * SQLite overwrites what is deleted (`secure_delete`, database.ts; FTS5 `secure-delete`,
 * migration 0026) and the WAL is checkpointed and truncated after each deletion or contact
 * erasure, so the bytes leave both files. Retention erases in many small batches and checkpoints
 * once at the end of its run instead (`checkpoint()`): a checkpoint per batch took 40 % of each
 * batch's time, while the writes of others waited. On PostgreSQL deleted row versions stay in
 * their pages until VACUUM reuses them (the README says when the bytes are gone).
 */
export function createErasure({
  database,
  eventLog,
  files,
  analytics,
}: {
  database: Database;
  eventLog: EventLog;
  files?: Pick<AttachmentsUseCases, 'forgetConversationFiles' | 'removeStored'>;
  /** Keeps what analytics counted of the conversations, as counts only. */
  analytics?: Pick<ErasedAnalytics, 'record'>;
}) {
  const repo = createErasureRepository({ dialect: database.dialect });

  /** Redacts and deletes every copy of these conversations (and of the contact's own events). */
  async function eraseCopies(
    accountId: string,
    conversationIds: string[],
    contact: { id: number; addresses: string[] } | null,
    trx: Executor,
  ): Promise<string[]> {
    // First, while the rows and events are whole: what analytics counted of them stays counted.
    await analytics?.record(accountId, conversationIds, trx);
    const events: StoredEvent[] = await repo.eventsOfConversations(accountId, conversationIds, trx);
    if (contact) events.push(...(await repo.eventsOfContact(accountId, contact.id, trx)));
    const eventIds: number[] = [];
    for (const e of events) {
      const data = JSON.parse(e.data) as unknown;
      if (isRedacted(data)) continue;
      eventIds.push(e.id);
      await repo.replaceEventData(accountId, e.id, JSON.stringify(redactEventData(data)), trx);
    }
    for (const d of await repo.deliveriesOfEvents(accountId, eventIds, trx)) {
      const payload = JSON.parse(d.payload) as Record<string, unknown>;
      const redacted = { ...payload, data: redactEventData(payload.data) };
      await repo.replaceDelivery(accountId, d.id, JSON.stringify(redacted), redactDeliveryError(d.last_error), trx);
    }
    await repo.deleteRunsAndNotifications(accountId, conversationIds, eventIds, trx);
    await eraseIdempotencyRecords(accountId, conversationIds, contact, trx);
    if (contact) await repo.deleteUnthreadedMailFrom(accountId, contact.addresses, trx);
    await repo.redactAuditEntries(accountId, contact?.id ?? null, conversationIds, trx);
    return files ? files.forgetConversationFiles(accountId, conversationIds, trx) : [];
  }

  /**
   * Stored answers to repeated requests go when they are about the conversations or the contact:
   * found by the ids and addresses in their path or body, then checked (for a contact: its own
   * object, a `contact_id`, its path, or one of its addresses anywhere).
   */
  async function eraseIdempotencyRecords(
    accountId: string,
    conversationIds: string[],
    contact: { id: number; addresses: string[] } | null,
    trx: Executor,
  ) {
    const needles = [...conversationIds];
    if (contact) {
      const id = contact.id;
      needles.push(...contact.addresses, `"id":${id},"name"`, `"contact_id":${id},`, `"contact_id":${id}}`, `/contacts/${id}`);
    }
    if (needles.length === 0) return;
    const candidates = await repo.idempotencyRecordsMentioning(accountId, needles, trx);
    const ids = new Set(conversationIds);
    const contactPath = contact ? new RegExp(`/contacts/${contact.id}(?:[/?]|$)`) : null;
    const doomed = candidates.filter((r) => {
      const body = r.response_body ?? '';
      if (conversationIds.some((c) => r.path.includes(c) || body.includes(c))) return true;
      if (!contact) return false;
      if (contactPath!.test(r.path) || contact.addresses.some((a) => body.toLowerCase().includes(a))) return true;
      try {
        return mentions(JSON.parse(body), contact.id, ids);
      } catch {
        return false;
      }
    });
    await repo.deleteIdempotencyRecords(accountId, doomed, trx);
  }

  /**
   * The contact's conversations, locked (PostgreSQL), and the contact, locked after them: writers
   * lock a conversation and then (through its foreign key) its contact, so the erasure takes them
   * in the same order. A conversation started while it waited for the contact is locked too.
   */
  async function lockContactAndConversations(accountId: string, contactId: number, trx: Executor) {
    const first = await repo.existingConversations(accountId, await repo.conversationIdsOfContact(accountId, contactId, trx), trx);
    const contact = await repo.lockContact(accountId, contactId, trx);
    if (!contact) throw notFound('contact');
    const locked = new Set(first);
    const started = (await repo.conversationIdsOfContact(accountId, contactId, trx)).filter((id) => !locked.has(id));
    const conversationIds = [...first, ...(await repo.existingConversations(accountId, started, trx))];
    return { contact, conversationIds };
  }

  /**
   * Runs an erasing transaction, again when PostgreSQL ends it as one side of a deadlock with a
   * write that locked in another order (rare once the locks are ordered, but never a 500).
   */
  async function retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (attempt >= 3 || (err as { code?: string }).code !== '40P01') throw err;
      }
    }
  }

  /** After commit: the files' bytes, and on SQLite the WAL's copies of the erased pages (unless the caller checkpoints later). */
  async function afterCommit(keys: string[], checkpointNow = true): Promise<void> {
    if (files && keys.length > 0) await files.removeStored(keys);
    if (checkpointNow) await checkpoint();
  }

  /**
   * Copies the WAL into the database file and truncates it, so the erased rows' old page images
   * leave the WAL. A reader in another connection can hold it up; a few tries, then the next
   * erasure's (or SQLite's own automatic) checkpoint finishes the job.
   */
  async function checkpoint(): Promise<boolean> {
    if (database.dialect !== 'sqlite') return true;
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
      if (rows[0]?.busy === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
    return false;
  }

  /**
   * Erases the conversations `pick` finds (and locks) in the erasing transaction; returns how many.
   * A deletion also ends the links of finished bulk exports (they may hold the conversations);
   * retention's pruning does not, as its conversations were already past their keeping time.
   */
  async function eraseConversationsIn(accountId: string, reason: ErasureReason, pick: (trx: Executor) => Promise<string[]>): Promise<number> {
    const { count, keys } = await retried(() =>
      eventLog.transaction(accountId, async (trx) => {
        const ids = await pick(trx);
        if (ids.length === 0) return { count: 0, keys: [] as string[] };
        if (reason === 'deleted') await repo.withdrawExports(accountId, new Date().toISOString(), trx);
        const keys = await eraseCopies(accountId, ids, null, trx);
        return { count: await repo.deleteConversations(accountId, ids, trx), keys };
      }),
    );
    if (count > 0) await afterCommit(keys, reason !== 'retention');
    return count;
  }

  return {
    /**
     * On SQLite, copies the WAL into the database file and truncates it, so the page images of
     * what was deleted leave the WAL; false when readers held it up (SQLite's own checkpoints, and
     * the next erasure's, finish the job). Nothing to do on PostgreSQL.
     */
    checkpoint,

    /**
     * Erases a contact: every conversation of it and every copy of its data; one `contact.erased`
     * event with ids only. 404 when the account has no such contact. What DELETE /contacts/{id} runs.
     */
    async eraseContact(accountId: string, contactId: number, actor?: Principal | null): Promise<void> {
      const source = actor ? sourceOf(actor) : null;
      const keys = await retried(() =>
        eventLog.transaction(
          accountId,
          async (trx, emit) => {
            const { contact, conversationIds } = await lockContactAndConversations(accountId, contactId, trx);
            const addresses = [contact.email, contact.claimed_email].filter((a): a is string => !!a).map((a) => a.toLowerCase());
            await repo.withdrawExports(accountId, new Date().toISOString(), trx);
            const keys = await eraseCopies(accountId, conversationIds, { id: contactId, addresses }, trx);
            await repo.deleteConversations(accountId, conversationIds, trx);
            if (!(await repo.deleteContact(accountId, contactId, trx))) throw notFound('contact');
            emit('contact.erased', { contact_id: contactId, conversation_ids: conversationIds });
            return keys;
          },
          source,
        ),
      );
      await afterCommit(keys);
    },

    /** Erases every conversation of a contact (the contact stays); 404 when there is no such contact. */
    async eraseConversationsOfContact(accountId: string, contactId: number): Promise<number> {
      return eraseConversationsIn(accountId, 'deleted', async (trx) => (await lockContactAndConversations(accountId, contactId, trx)).conversationIds);
    },

    /**
     * Deletes these conversations of the account and every copy of what they held; ids that are
     * not the account's are skipped. Safe to call in small batches (retention does); returns how
     * many were erased. A deletion and retention's pruning erase alike, except that a deletion
     * also ends the links of finished bulk exports, and that retention checkpoints SQLite's WAL
     * once at the end of its run (`checkpoint()`) rather than after each batch.
     */
    async eraseConversations(accountId: string, conversationIds: string[], reason: ErasureReason): Promise<number> {
      if (conversationIds.length === 0) return 0;
      return eraseConversationsIn(accountId, reason, (trx) => repo.existingConversations(accountId, [...new Set(conversationIds)], trx));
    },
  };
}

export type Erasure = ReturnType<typeof createErasure>;
