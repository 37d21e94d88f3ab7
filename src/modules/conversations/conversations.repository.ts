import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import { prepareQuery } from '../../shared/db/prepared.js';
import type { ChannelsTable, ConversationsTable, MessagesTable } from '../../shared/db/schema.js';
import { type CursorValue } from '../../shared/pagination/pagination.js';
import { conversationSearch, searchCandidates } from './conversations.search.js';

/** Conversations a search checks one by one, in the list's order, before asking the indexes. */
const SEARCH_WINDOW = 1000;

export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversationRow = Insertable<ConversationsTable>;
export type ConversationPatch = Updateable<ConversationsTable>;

export interface ConversationFilters {
  status?: 'active' | 'ended';
  agentId?: string;
  contactId?: number;
  channelId?: string;
  channelType?: string;
  tag?: string;
  /** A member id, or null for unassigned conversations. */
  assigneeId?: string | null;
  teamId?: string;
  mode?: 'ai' | 'manual';
  stateId?: string;
  hasFeedback?: boolean;
  /** Handed to the team, still active, and the contact's message (or the handoff) not yet answered. */
  waiting?: boolean;
  /** Snoozed (a wake-up time set) or not. */
  snoozed?: boolean;
  priority?: string;
  /** Filters that contradict each other (a view and a parameter): nothing matches. */
  none?: boolean;
  q?: string;
  /** Whether `q` also matches internal notes (members; never API keys). */
  searchNotes?: boolean;
  since?: string;
  until?: string;
}

/** `last_activity`: the last message's time, else the creation's (what the inbox sorts by). */
export type SortColumn = 'created_at' | 'updated_at' | 'last_activity';

export interface ListOptions {
  sort: SortColumn;
  order: 'asc' | 'desc';
  after: CursorValue[] | null;
  limit: number;
}

const MAX_LIST_SHAPES = 200;

/** Filters whose value is only ever compared with a column (so it can be a query parameter). */
const VALUE_FILTERS = ['status', 'agentId', 'contactId', 'channelId', 'teamId', 'mode', 'stateId', 'channelType', 'tag', 'priority', 'since', 'until'] as const;

/**
 * A list request as a query shape and its values: the key names what changes the SQL (which
 * filters are set, unassigned or not, with or without feedback, sort, order, a cursor), the values
 * are everything else, in a fixed order; `withValues` puts other values (prepareQuery's stand-ins)
 * back into the same filters.
 */
function listShape(accountId: string, f: ConversationFilters, o: ListOptions) {
  const present = VALUE_FILTERS.filter((k) => f[k] !== undefined);
  const assignee = f.assigneeId === null ? 'unassigned' : f.assigneeId === undefined ? '' : 'assignee';
  const feedback = f.hasFeedback === undefined ? '' : `feedback=${f.hasFeedback}`;
  const waiting = f.waiting === undefined ? '' : `waiting=${f.waiting}`;
  const snoozed = f.snoozed === undefined ? '' : `snoozed=${f.snoozed}`;
  const key = [o.sort, o.order, o.after ? 'after' : '', assignee, feedback, waiting, snoozed, f.none ? 'none' : '', ...present].join('|');
  const values: unknown[] = [
    accountId,
    ...present.map((k) => f[k]),
    ...(assignee === 'assignee' ? [f.assigneeId] : []),
    ...(o.after ?? []),
    o.limit + 1,
  ];
  const withValues = (v: unknown[]) => {
    let i = 0;
    const a = v[i++] as string;
    const filters: ConversationFilters = { ...f };
    const set = filters as Record<string, unknown>;
    for (const k of present) set[k] = v[i++];
    if (assignee === 'assignee') filters.assigneeId = v[i++] as string;
    const after = o.after ? o.after.map(() => v[i++] as CursorValue) : null;
    return { accountId: a, f: filters, o: { ...o, after }, limit: v[i] };
  };
  return { key, values, withValues };
}

/** What a list is ordered by, on the conversations aliased `c`. */
function sortExpression(sort: SortColumn) {
  return sort === 'last_activity' ? sql<string>`coalesce(c.last_message_at, c.created_at)` : sql<string>`${sql.ref(`c.${sort}`)}`;
}

/** The keyset condition "after this row" on (sort expression, id). */
function afterKeyOn(col: ReturnType<typeof sortExpression>, after: CursorValue[], order: 'asc' | 'desc') {
  const op = sql.raw(order === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${col}, c.id) ${op} (${after[0]}, ${after[1]})`;
}

export function createConversationsRepository({
  db,
  dialect,
  searchWindow,
}: {
  db: Executor;
  dialect: DialectName;
  /** Conversations a search checks one by one before asking the indexes (default: see list). */
  searchWindow?: number;
}) {
  const byId = prepareQuery(db, 2, (q, accountId: string, id: string) =>
    q.selectFrom('conversations').selectAll().where('account_id', '=', accountId).where('id', '=', id),
  );
  // SQLite has no `for update` (it serialises writers anyway): the plain read locks enough there.
  const byIdLocked =
    dialect === 'postgres'
      ? prepareQuery(db, 2, (q, accountId: string, id: string) =>
          q.selectFrom('conversations').selectAll().where('account_id', '=', accountId).where('id', '=', id).forUpdate(),
        )
      : byId;
  /**
   * The list's filters (all but the search) and keyset position, in the list's order. `account`
   * says how the account is matched: through an index, or (`by-candidates`) as a plain check so
   * that SQLite looks up a search's candidate conversations by id rather than scanning the
   * account in order.
   */
  function filtered(accountId: string, f: ConversationFilters, o: ListOptions, account: 'indexed' | 'by-candidates' = 'indexed') {
    let q = db
      .selectFrom('conversations as c')
      .selectAll('c')
      .where(
        account === 'indexed' ? sql<SqlBool>`c.account_id = ${accountId}` : sql<SqlBool>`+c.account_id = ${accountId}`,
      );
    if (f.status !== undefined) q = q.where('c.status', '=', f.status);
    if (f.agentId !== undefined) q = q.where('c.agent_id', '=', f.agentId);
    if (f.contactId !== undefined) q = q.where('c.contact_id', '=', f.contactId);
    if (f.channelId !== undefined) q = q.where('c.channel_id', '=', f.channelId);
    if (f.teamId !== undefined) q = q.where('c.team_id', '=', f.teamId);
    if (f.mode !== undefined) q = q.where('c.mode', '=', f.mode);
    if (f.stateId !== undefined) q = q.where('c.state_id', '=', f.stateId);
    if (f.priority !== undefined) q = q.where('c.priority', '=', f.priority);
    if (f.snoozed !== undefined) q = q.where('c.snoozed_until', f.snoozed ? 'is not' : 'is', null);
    if (f.none) q = q.where(sql<SqlBool>`1 = 0`);
    if (f.assigneeId === null) q = q.where('c.assignee_id', 'is', null);
    else if (f.assigneeId !== undefined) q = q.where('c.assignee_id', '=', f.assigneeId);
    if (f.channelType !== undefined) {
      const type = f.channelType as ChannelsTable['type'];
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('channels as ch')
            .select(sql.lit(1).as('one'))
            .whereRef('ch.account_id', '=', 'c.account_id')
            .whereRef('ch.id', '=', 'c.channel_id')
            .where('ch.type', '=', type),
        ),
      );
    }
    if (f.tag !== undefined) {
      const tag = f.tag;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_tags as t')
            .select(sql.lit(1).as('one'))
            .whereRef('t.account_id', '=', 'c.account_id')
            .whereRef('t.conversation_id', '=', 'c.id')
            .where('t.tag', '=', tag),
        ),
      );
    }
    if (f.waiting !== undefined) {
      const waiting = sql<SqlBool>`(c.status = 'active' and c.handoff_at is not null and c.waiting_since is not null)`;
      q = q.where(f.waiting ? waiting : sql<SqlBool>`not ${waiting}`);
    }
    if (f.hasFeedback !== undefined) {
      const wanted = f.hasFeedback;
      q = q.where((eb) => {
        const exists = eb.exists(
          eb
            .selectFrom('messages as fm')
            .select(sql.lit(1).as('one'))
            .whereRef('fm.account_id', '=', 'c.account_id')
            .whereRef('fm.conversation_id', '=', 'c.id')
            .where('fm.feedback_rating', 'is not', null),
        );
        return wanted ? exists : eb.not(exists);
      });
    }
    const col = sortExpression(o.sort);
    if (f.since !== undefined) q = q.where(col, '>=', f.since);
    if (f.until !== undefined) q = q.where(col, '<=', f.until);
    if (o.after) q = q.where(afterKeyOn(col, o.after, o.order));
    return q.orderBy(col, o.order).orderBy('c.id', o.order);
  }

  /** The unsearched list compiled once per shape (which filters are set, sort, order, cursor). */
  const listQueries = new Map<string, (params: unknown[]) => Promise<unknown[]>>();

  return {
    async insert(row: NewConversationRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('conversations').values(row).execute();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<ConversationRow | undefined> {
      return (await byId([accountId, id], executor))[0];
    },

    /**
     * The conversation, locked until the transaction ends (PostgreSQL; SQLite serialises writers
     * anyway): a concurrent change or deletion waits instead of interleaving with this one.
     */
    async findForUpdate(accountId: string, id: string, executor: Executor): Promise<ConversationRow | undefined> {
      return (await byIdLocked([accountId, id], executor))[0];
    },

    /** Conversations matching every filter, in the keyset order (sort, id). */
    async list(accountId: string, f: ConversationFilters, o: ListOptions): Promise<ConversationRow[]> {
      const text = f.q !== undefined && f.q.trim() !== '' ? f.q : undefined;
      if (text === undefined) {
        const shape = listShape(accountId, f, o);
        let run = listQueries.get(shape.key);
        if (!run) {
          run = prepareQuery(db, shape.values.length, (_q, ...stand: unknown[]) => {
            const { accountId: a, f: fs, o: os, limit } = shape.withValues(stand);
            return filtered(a, fs, os).limit(limit as number);
          });
          listQueries.set(shape.key, run);
          // Bounded: every combination of filters is a shape (the oldest compiled goes first).
          if (listQueries.size > MAX_LIST_SHAPES) listQueries.delete(listQueries.keys().next().value!);
        }
        return (await run(shape.values)) as ConversationRow[];
      }
      if (dialect === 'postgres') {
        return filtered(accountId, f, o)
          .where((eb) => conversationSearch(eb, dialect, text, accountId, 'sets', f.searchNotes ?? false))
          .limit(o.limit + 1)
          .execute();
      }
      // SQLite. Most searches match often enough to fill a page from the next conversations in
      // the list's order: check a window of those one by one (no pass over every match of a
      // common word). When the window does not fill the page, the candidates come from the
      // indexes (trigrams, full text), which is cheap exactly when matches are few.
      const window = searchWindow ?? Math.max(SEARCH_WINDOW, (o.limit + 1) * 50);
      const order = o.order;
      const col = sortExpression(o.sort);
      const near = await db
        .selectFrom(filtered(accountId, f, o).limit(window).as('c'))
        .selectAll('c')
        .where((eb) => conversationSearch(eb as never, dialect, text, accountId, 'probe', f.searchNotes ?? false))
        .orderBy(col, order)
        .orderBy('c.id', order)
        .limit(o.limit + 1)
        .execute();
      if (near.length > o.limit) return near as ConversationRow[];
      const candidates = searchCandidates(text, accountId, f.searchNotes ?? false);
      let all = filtered(accountId, f, o, candidates === null ? 'indexed' : 'by-candidates');
      if (candidates !== null) all = all.where(candidates);
      return all
        .where((eb) => conversationSearch(eb, dialect, text, accountId, candidates === null ? 'sets' : 'probe', f.searchNotes ?? false))
        .limit(o.limit + 1)
        .execute();
    },

    /** How many conversations match every filter (a saved view's count), search included. */
    async count(accountId: string, f: ConversationFilters): Promise<number> {
      const text = f.q !== undefined && f.q.trim() !== '' ? f.q : undefined;
      let q = filtered(accountId, f, { sort: 'created_at', order: 'desc', after: null, limit: 0 }).clearSelect().clearOrderBy();
      if (text !== undefined) q = q.where((eb) => conversationSearch(eb, dialect, text, accountId, 'sets', f.searchNotes ?? false));
      const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async update(accountId: string, id: string, patch: ConversationPatch, executor: Executor = db): Promise<void> {
      await executor.updateTable('conversations').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /** Ends an active conversation; false when it was not active (already ended, or absent). */
    async end(accountId: string, id: string, at: string, reason: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .updateTable('conversations')
        .set({ status: 'ended', ended_at: at, end_reason: reason, updated_at: at, snoozed_until: null })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /**
     * A message's activity: the conversation as it is afterwards, or undefined when it is gone. A
     * contact's message also counts a turn and an unread message and starts the wait for an answer
     * (`waiting_since`, kept from the first unanswered one) and wakes it from a snooze; the agent's
     * or an operator's answer ends the wait.
     */
    async touch(
      accountId: string,
      id: string,
      at: string,
      role: MessagesTable['role'],
      executor: Executor = db,
    ): Promise<ConversationRow | undefined> {
      return executor
        .updateTable('conversations')
        .set((eb) => ({
          updated_at: at,
          last_message_at: at,
          ...(role === 'user'
            ? {
                turn_count: eb('turn_count', '+', 1),
                unread_count: eb('unread_count', '+', 1),
                waiting_since: eb.fn.coalesce('waiting_since', eb.val(at)),
                snoozed_until: null,
              }
            : role === 'assistant' || role === 'operator'
              ? { waiting_since: null }
              : {}),
        }))
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /**
     * Takes the `seen` unread messages off the count: a message that arrived after the member's
     * read (its `+ 1` committed in between) stays unread.
     */
    async markRead(accountId: string, id: string, seen: number, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('conversations')
        .set((eb) => ({
          unread_count: eb.case().when('unread_count', '>', seen).then(eb('unread_count', '-', seen)).else(0).end(),
        }))
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('unread_count', '>', 0)
        .execute();
    },

    async tagsOf(accountId: string, ids: string[], executor: Executor = db): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (ids.length === 0) return out;
      const rows = await executor
        .selectFrom('conversation_tags')
        .select(['conversation_id', 'tag'])
        .where('account_id', '=', accountId)
        .where('conversation_id', 'in', ids)
        // By conversation first: that is the primary key's order, so the page's ids are looked up
        // in it. Ordering by tag alone made SQLite walk every tag of the account (its tag index).
        .orderBy('conversation_id')
        .orderBy('tag')
        .execute();
      for (const r of rows) {
        const list = out.get(r.conversation_id) ?? [];
        list.push(r.tag);
        out.set(r.conversation_id, list);
      }
      return out;
    },

    /** Adds a tag; false when the conversation already had it. */
    async addTag(accountId: string, id: string, tag: string, at: string, executor: Executor = db): Promise<boolean> {
      const inserted = await executor
        .insertInto('conversation_tags')
        .values({ account_id: accountId, conversation_id: id, tag, created_at: at })
        .onConflict((oc) => oc.columns(['account_id', 'conversation_id', 'tag']).doNothing())
        .returning('tag')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async removeTag(accountId: string, id: string, tag: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .deleteFrom('conversation_tags')
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', id)
        .where('tag', '=', tag)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    /** Gives one contact's conversations of a channel to another contact; returns their ids. */
    async moveToContact(accountId: string, channelId: string, fromContactId: number, toContactId: number, at: string, executor: Executor): Promise<string[]> {
      const rows = await executor
        .updateTable('conversations')
        .set({ contact_id: toContactId, updated_at: at })
        .where('account_id', '=', accountId)
        .where('contact_id', '=', fromContactId)
        .where('channel_id', '=', channelId)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * Clears a reference to something being deleted (a channel, a state, a removed member) from the
     * account's conversations. These columns have no foreign key (the referenced tables came later),
     * so nothing else would clear them; `touchedAt` also moves `updated_at` when the change should
     * reorder the inbox (an unassigned conversation goes back to the queue).
     */
    async clearReference(
      accountId: string,
      column: 'channel_id' | 'state_id' | 'assignee_id',
      value: string,
      executor: Executor,
      touchedAt?: string,
    ): Promise<number> {
      const res = await executor
        .updateTable('conversations')
        .set({ [column]: null, ...(touchedAt ? { updated_at: touchedAt } : {}) })
        .where('account_id', '=', accountId)
        .where(column, '=', value)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
  };
}

export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;
