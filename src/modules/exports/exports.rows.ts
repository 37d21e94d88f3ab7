import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import { presentConversation } from '../conversations/conversations.presenters.js';
import { presentMessage } from '../messages/messages.presenters.js';
import { MEMBER_ROLES, MESSAGE_VIEW_COLUMNS, PUBLIC_ROLES, type MessageViewRow } from '../messages/messages.repository.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';
import type { ExportResource } from './exports.schemas.js';

/** What an export was asked for with (each filter optional). */
export interface ExportFilters {
  since?: string;
  until?: string;
  agent_id?: string;
  channel_id?: string;
  status?: 'active' | 'ended';
  tag?: string;
}

/** The filters that select conversations (and so the messages in them): not for contacts. */
export const CONVERSATION_FILTERS = ['agent_id', 'channel_id', 'status', 'tag'] as const;

/** Where a page ends: the sort key of its last row (stored as JSON between runs). */
export type ExportCursor = CursorValue[];

/** A page of presented rows and the keyset position after its last row (null: no more rows). */
export interface RowsPage {
  rows: Array<Record<string, unknown>>;
  next: ExportCursor | null;
}

/** One resource as an export reads it: pages in key order, and the CSV columns of a presented row. */
export interface RowSource {
  page(after: ExportCursor | null, limit: number): Promise<RowsPage>;
  columns: Array<[header: string, value: (row: Record<string, unknown>) => unknown]>;
}

type Row = Record<string, unknown>;
const field = (name: string) => (row: Row) => row[name];
const nested = (outer: string, inner: string) => (row: Row) => (row[outer] as Row | null)?.[inner] ?? null;

/**
 * The rows of an export, read by keyset (after the last row's key, in key order, one page at a
 * time) so that memory stays the same however many rows there are, and each page is one ordered
 * index range with no sort: messages by (conversation_id, id) along messages_conversation_idx,
 * conversations by (created_at, id) along conversations_account_created_idx, contacts by id along
 * contacts_account_idx. Messages and conversations are filtered by their conversation (agent,
 * channel, status, tag) and created_at; contacts by created_at.
 * Notes are included only for `withNotes` (exports members asked for; an API key never reads them).
 */
export function rowSource(db: Executor, accountId: string, resource: ExportResource, filters: ExportFilters, withNotes: boolean): RowSource {
  const conversationFilters = (eb: ExpressionBuilder<DB & { c: DB['conversations'] }, 'c'>) => {
    const where = [eb('c.account_id', '=', accountId)];
    if (filters.agent_id) where.push(eb('c.agent_id', '=', filters.agent_id));
    if (filters.channel_id) where.push(eb('c.channel_id', '=', filters.channel_id));
    if (filters.status) where.push(eb('c.status', '=', filters.status));
    if (filters.tag) {
      where.push(
        eb.exists(
          eb
            .selectFrom('conversation_tags as t')
            .select(sql.lit(1).as('one'))
            .where('t.account_id', '=', accountId)
            .whereRef('t.conversation_id', '=', 'c.id')
            .where('t.tag', '=', filters.tag),
        ),
      );
    }
    return eb.and(where);
  };

  if (resource === 'messages') {
    const roles = (withNotes ? MEMBER_ROLES : PUBLIC_ROLES).map((r) => sql.lit(r));
    const columns = MESSAGE_VIEW_COLUMNS.map((c) => `m.${c}` as const);
    return {
      async page(after, limit) {
        let q = db
          .selectFrom('messages as m')
          .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
          .select(columns)
          .select('c.contact_id')
          .where('m.account_id', '=', accountId)
          .where(sql<boolean>`m.role in (${sql.join(roles)})`)
          .where(conversationFilters);
        if (after !== null) {
          // Said again of the conversation: PostgreSQL merge-joins conversations by id, and
          // without this starts that side from the first conversation on every page.
          q = q.where(afterKey(['m.conversation_id', 'm.id'], after, 'asc')).where('c.id', '>=', String(after[0]));
        }
        if (filters.since) q = q.where('m.created_at', '>=', filters.since);
        if (filters.until) q = q.where('m.created_at', '<', filters.until);
        const rows = (await q.orderBy('m.conversation_id').orderBy('m.id').limit(limit).execute()) as unknown as Array<MessageViewRow & { contact_id: number }>;
        const last = rows[rows.length - 1];
        return {
          rows: rows.map((r) => ({ ...presentMessage(r), contact_id: r.contact_id })),
          next: rows.length === limit ? [last.conversation_id, Number(last.id)] : null,
        };
      },
      columns: [
        ['id', field('id')],
        ['conversation_id', field('conversation_id')],
        ['contact_id', field('contact_id')],
        ['created_at', field('created_at')],
        ['role', field('role')],
        ['author_type', nested('author', 'type')],
        ['author_id', nested('author', 'id')],
        ['author_name', nested('author', 'name')],
        ['content', field('content')],
        ['status', field('status')],
        ['modality', field('modality')],
        ['feedback_rating', nested('feedback', 'rating')],
        ['feedback_comment', nested('feedback', 'comment')],
        ['attachments', (row) => (row.attachments as Array<{ filename: string }>).map((a) => a.filename).join('; ')],
      ],
    };
  }

  if (resource === 'conversations') {
    return {
      async page(after, limit) {
        let q = db.selectFrom('conversations as c').selectAll('c').where(conversationFilters);
        if (after !== null) q = q.where(afterKey(['c.created_at', 'c.id'], after, 'asc'));
        if (filters.since) q = q.where('c.created_at', '>=', filters.since);
        if (filters.until) q = q.where('c.created_at', '<', filters.until);
        const rows = await q.orderBy('c.created_at').orderBy('c.id').limit(limit).execute();
        const tags = new Map<string, string[]>();
        if (rows.length > 0) {
          const tagRows = await db
            .selectFrom('conversation_tags')
            .select(['conversation_id', 'tag'])
            .where('account_id', '=', accountId)
            .where('conversation_id', 'in', rows.map((r) => r.id))
            .orderBy('conversation_id')
            .orderBy('tag')
            .execute();
          for (const t of tagRows) tags.set(t.conversation_id, [...(tags.get(t.conversation_id) ?? []), t.tag]);
        }
        return {
          rows: rows.map((r) => presentConversation(r, tags.get(r.id) ?? []) as Row),
          next: rows.length === limit ? [rows[rows.length - 1].created_at, rows[rows.length - 1].id] : null,
        };
      },
      columns: [
        ['id', field('id')],
        ['contact_id', field('contact_id')],
        ['agent_id', field('agent_id')],
        ['channel_id', field('channel_id')],
        ['status', field('status')],
        ['mode', field('mode')],
        ['title', field('title')],
        ['summary', field('summary')],
        ['priority', field('priority')],
        ['assignee_id', field('assignee_id')],
        ['team_id', field('team_id')],
        ['tags', (row) => (row.tags as string[]).join('; ')],
        ['turn_count', field('turn_count')],
        ['csat_rating', nested('csat', 'rating')],
        ['csat_comment', nested('csat', 'comment')],
        ['metadata', field('metadata')],
        ['created_at', field('created_at')],
        ['last_message_at', field('last_message_at')],
        ['ended_at', field('ended_at')],
        ['end_reason', field('end_reason')],
      ],
    };
  }

  return {
    async page(after, limit) {
      let q = db.selectFrom('contacts').selectAll().where('account_id', '=', accountId);
      if (after !== null) q = q.where('id', '>', Number(after[0]));
      if (filters.since) q = q.where('created_at', '>=', filters.since);
      if (filters.until) q = q.where('created_at', '<', filters.until);
      const rows = await q.orderBy('id').limit(limit).execute();
      return { rows: rows.map((r) => presentContact(r) as Row), next: rows.length === limit ? [Number(rows[rows.length - 1].id)] : null };
    },
    columns: [
      ['id', field('id')],
      ['email', field('email')],
      ['name', field('name')],
      ['first_name', field('first_name')],
      ['last_name', field('last_name')],
      ['phone', field('phone')],
      ['organization_name', field('organization_name')],
      ['external_id', field('external_id')],
      ['claimed_email', field('claimed_email')],
      ['metadata', field('metadata')],
      ['created_at', field('created_at')],
      ['updated_at', field('updated_at')],
    ],
  };
}
