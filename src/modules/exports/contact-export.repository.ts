import { sql } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import { MEMBER_ROLES, MESSAGE_VIEW_COLUMNS, PUBLIC_ROLES } from '../messages/messages.repository.js';

/** Ids per `in (…)` list: well under SQLite's bound-parameter limit. */
const CHUNK = 500;

async function inChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/** Everything stored of one contact, read for their export (GDPR access); `trx` keeps it one snapshot. */
export function createContactExportRepository() {
  return {
    contact: (trx: Executor, accountId: string, contactId: number) =>
      trx.selectFrom('contacts').selectAll().where('account_id', '=', accountId).where('id', '=', contactId).executeTakeFirst(),

    conversations: (trx: Executor, accountId: string, contactId: number) =>
      trx.selectFrom('conversations').selectAll().where('account_id', '=', accountId).where('contact_id', '=', contactId).orderBy('created_at').orderBy('id').execute(),

    tags: (trx: Executor, accountId: string, ids: string[]) =>
      inChunks(ids, (chunk) =>
        trx.selectFrom('conversation_tags').select(['conversation_id', 'tag']).where('account_id', '=', accountId).where('conversation_id', 'in', chunk).orderBy('conversation_id').orderBy('tag').execute(),
      ),

    /** Every message but system ones (and notes unless `withNotes`), whatever its status. */
    messages: (trx: Executor, accountId: string, ids: string[], withNotes: boolean) =>
      inChunks(ids, (chunk) =>
        trx
          .selectFrom('messages')
          .select(MESSAGE_VIEW_COLUMNS)
          .select('error')
          .where('account_id', '=', accountId)
          .where('conversation_id', 'in', chunk)
          .where(sql<boolean>`role in (${sql.join((withNotes ? MEMBER_ROLES : PUBLIC_ROLES).map((r) => sql.lit(r)))})`)
          .orderBy('conversation_id')
          .orderBy('id')
          .execute(),
      ),

    attachments: (trx: Executor, accountId: string, ids: string[]) =>
      inChunks(ids, (chunk) =>
        trx.selectFrom('attachments').selectAll().where('account_id', '=', accountId).where('conversation_id', 'in', chunk).orderBy('created_at').orderBy('id').execute(),
      ),

    emailThreads: (trx: Executor, accountId: string, ids: string[]) =>
      inChunks(ids, (chunk) => trx.selectFrom('email_threads').selectAll().where('account_id', '=', accountId).where('conversation_id', 'in', chunk).execute()),

    emailMessages: (trx: Executor, accountId: string, ids: string[]) =>
      inChunks(ids, (chunk) =>
        trx.selectFrom('email_messages').selectAll().where('account_id', '=', accountId).where('conversation_id', 'in', chunk).orderBy('created_at').orderBy('id').execute(),
      ),

    visitorSessions: (trx: Executor, accountId: string, contactId: number) =>
      trx
        .selectFrom('visitor_sessions')
        .select(['channel_id', 'verified', 'created_at', 'last_seen_at', 'expires_at'])
        .where('account_id', '=', accountId)
        .where('contact_id', '=', contactId)
        .orderBy('created_at')
        .execute(),
  };
}

export type ContactExportRepository = ReturnType<typeof createContactExportRepository>;
