import { sourceOf, type Principal } from '../../shared/auth/principal.js';
import type { Executor } from '../../shared/db/database.js';
import type { EventLog, Emit } from '../events/events.log.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { deepMerge, jsonEqual, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ContactsRepository } from '../contacts/contacts.repository.js';
import { presentMessage } from '../messages/messages.presenters.js';
import { agentAuthor, type AuthorColumns } from '../messages/messages.authors.js';
import type { MessageRow } from '../messages/messages.repository.js';
import { parseBusinessHours, teamAvailability } from '../accounts/business-hours.js';
import { handoffHeadline, nextStepsText, summarizeForHandoff, summarizeOnEnd } from './conversations.handoff.js';
import type { HistoryMessage, WriteRequest } from '../../ai/provider.js';
import type { MessagesRepository } from '../messages/messages.repository.js';
import { presentConversation, presentEmbeddedContact, presentLastMessage, type ConversationView } from './conversations.presenters.js';
import { cursorKey, normalizeTag, parseIncludes, seesNotes, toListArgs, type Include, type ListConversationsInput } from './conversations.queries.js';
import type { ConversationIncludesRepository } from './conversations.includes.repository.js';
import type { ConversationPatch, ConversationRow, ConversationsRepository } from './conversations.repository.js';
import type { MessagesTable } from '../../shared/db/schema.js';
import { conflict } from '../../shared/errors/errors.js';
import { parseSnoozeUntil, unsnoozedEvent } from './conversations.snooze.js';
import type { Erasure } from '../erasure/erasure.js';
import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Within } from '../messages/messages.usecases.js';

/** The events a change announces, each carrying the conversation (plus `data`); null: nothing changed. */
type Announce = string | Array<string | { type: string; data: Record<string, unknown> }> | null;

/** Why a conversation was assigned, in its `conversation.assigned` event. */
export type AssignReason = 'manual' | 'auto' | 'takeover';
export const assignedEvent = (assigneeId: string | null, teamId: string | null, reason: AssignReason) => ({
  type: 'conversation.assigned',
  data: { assignment: { assignee_id: assigneeId, team_id: teamId, reason } },
});

/** Who handed a conversation to the team. */
export type HandoffSource = 'visitor' | 'operator' | 'ai' | 'automation' | 'api';

/** What the widget knew of its visitor when the conversation started (bounded by the caller). */
export interface VisitorInfo {
  page_url: string | null;
  locale: string | null;
  browser: string | null;
  attributes: Record<string, unknown>;
}

const RECENT_MESSAGES = 3;
const NO_INCLUDES: ReadonlySet<Include> = new Set();
const RECENT_ONLY: ReadonlySet<Include> = new Set(['recent_messages']);

type FindShared = (accountId: string, id: string, trx: Executor) => Promise<unknown>;

/**
 * The repositories of what a conversation refers to through columns with no foreign key, by their
 * own locked lookups (`findShared`): read in the writing transaction, the row cannot be deleted
 * until the conversation that points at it has committed, and its deleter then clears the pointer.
 */
export interface ConversationReferences {
  teams: { findShared: FindShared };
  channels: { findShared: FindShared };
  states: { findShared: FindShared };
  members: { findShared: FindShared };
}

export interface ConversationUpdate {
  title?: string | null;
  context?: string | null;
  summary?: string | null;
  score?: number | null;
  state_id?: string | null;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  metadata?: Record<string, unknown>;
}

export function createConversationsUseCases({
  eventLog,
  conversations,
  contacts,
  agents,
  messages,
  references,
  assigner,
  writer,
  includes,
  erasure,
}: {
  eventLog: EventLog;
  conversations: ConversationsRepository;
  contacts: ContactsRepository;
  agents: AgentsRepository;
  messages: MessagesRepository;
  /** What a conversation may point at; each must belong to the account (else 422). */
  references: ConversationReferences;
  /** Serves teams' queues once a change has committed (auto-assignment). */
  assigner: { fill(accountId: string, teamIds: Array<string | null | undefined>): Promise<number>; teamsOf(accountId: string, memberId: string): Promise<string[]> };
  /** With an LLM: writes the handoff note and the end summary (null when it cannot; extractive then). */
  writer?: (request: WriteRequest) => Promise<string | null>;
  /** What lists embed with `include=contact,last_message` (batched per page). */
  includes?: ConversationIncludesRepository;
  /** Deletes conversations with every copy of what they held (events, deliveries, files, indexes, …). */
  erasure: Pick<Erasure, 'eraseConversations' | 'eraseConversationsOfContact'>;
}) {
  /** A conversation of the principal's account, or 404. */
  async function load(principal: Principal, id: string): Promise<ConversationRow> {
    const row = await conversations.findById(principal.accountId, id);
    if (!row) throw notFound('conversation');
    return row;
  }

  /**
   * Rows as API objects with their tags and what `include` asks for (recent messages, contact,
   * last message): one query per kind for all the rows, whatever their number.
   */
  async function present(
    principal: Principal,
    rows: ConversationRow[],
    include: ReadonlySet<Include> = NO_INCLUDES,
    executor?: Executor,
  ): Promise<ConversationView[]> {
    const ids = rows.map((r) => r.id);
    const accountId = principal.accountId;
    const [tags, recent, contactRows, last] = await Promise.all([
      conversations.tagsOf(accountId, ids, executor),
      include.has('recent_messages') ? messages.recentFor(accountId, ids, RECENT_MESSAGES, seesNotes(principal)) : null,
      include.has('contact') && includes ? includes.contacts(accountId, rows.map((r) => r.contact_id)) : null,
      include.has('last_message') && includes ? includes.lastMessages(accountId, ids, seesNotes(principal)) : null,
    ]);
    return rows.map((r) => ({
      ...presentConversation(r, tags.get(r.id) ?? [], recent ? (recent.get(r.id) ?? []).map(presentMessage) : undefined),
      ...(contactRows ? { contact: presentEmbeddedContact(contactRows.get(r.contact_id)) } : {}),
      ...(last ? { last_message: presentLastMessage(last.get(r.id)) } : {}),
    }));
  }

  async function presentOne(
    principal: Principal,
    row: ConversationRow,
    include: boolean | ReadonlySet<Include> = false,
    executor?: Executor,
  ): Promise<ConversationView> {
    const wanted = include === true ? RECENT_ONLY : include === false ? NO_INCLUDES : include;
    return (await present(principal, [row], wanted, executor))[0];
  }

  /**
   * One change to one conversation, committed with its event. `apply` reads and writes through
   * `trx` and says which event announces it (or null when nothing changed); the conversation is
   * then presented as committed and carried by the event.
   */
  async function change(
    principal: Principal,
    id: string,
    apply: (row: ConversationRow, trx: Executor) => Promise<Announce>,
  ): Promise<ConversationView> {
    return eventLog.transaction(
      principal.accountId,
      async (trx, emit: Emit) => {
        const row = await conversations.findForUpdate(principal.accountId, id, trx);
        if (!row) throw notFound('conversation');
        const eventType = await apply(row, trx);
        const after = eventType ? await conversations.findById(principal.accountId, id, trx) : row;
        const view = await presentOne(principal, after!, false, trx);
        for (const e of eventType === null ? [] : [eventType].flat()) {
          if (typeof e === 'string') emit(e, { conversation: view });
          else emit(e.type, { conversation: view, ...e.data });
        }
        return view;
      },
      sourceOf(principal),
    );
  }

  function assertActive(row: ConversationRow): void {
    if (row.status !== 'active') throw unprocessable('Conversation has ended', { status: ['is ended'] });
  }

  async function presentWithTags(accountId: string, id: string, row: ConversationRow | undefined, executor: Executor) {
    if (!row) throw notFound('conversation');
    const tags = await conversations.tagsOf(accountId, [id], executor);
    return presentConversation(row, tags.get(id) ?? []);
  }

  /**
   * When the conversation entered its team's queue: it waits there while it is with a team, in
   * manual mode, with nobody assigned (kept from when it first did); otherwise it is not queued.
   */
  function queuedAt(row: ConversationRow, assigneeId: string | null, teamId: string | null, now: string): string | null {
    if (teamId === null || assigneeId !== null || row.mode !== 'manual' || row.status !== 'active') return null;
    return teamId === row.team_id ? (row.team_queued_at ?? now) : now;
  }

  /** The team a handed-off conversation goes to: its channel's default team, else its agent's. */
  async function defaultTeamOf(row: ConversationRow, trx: Executor): Promise<string | null> {
    if (row.channel_id !== null) {
      const channel = await trx.selectFrom('channels').select('default_team_id').where('account_id', '=', row.account_id).where('id', '=', row.channel_id).executeTakeFirst();
      if (channel?.default_team_id) return channel.default_team_id;
    }
    const agent = await trx.selectFrom('agents').select('default_team_id').where('account_id', '=', row.account_id).where('id', '=', row.agent_id).executeTakeFirst();
    return agent?.default_team_id ?? null;
  }

  /**
   * The summary for the record of a conversation that has just ended, unless one was set through
   * the API: the model's (`written`) or an extractive one.
   */
  async function writeEndSummary(row: ConversationRow, trx: Executor, written: string | null = null): Promise<void> {
    if (row.summary !== null) return;
    const history = await trx
      .selectFrom('messages')
      .select(['role', 'content', 'author_name'])
      .where('account_id', '=', row.account_id)
      .where('conversation_id', '=', row.id)
      .where('role', 'in', ['user', 'assistant', 'operator'])
      .where('status', '=', 'completed')
      .orderBy('id')
      .execute();
    const summary = written ?? summarizeOnEnd(history, row.handoff_at ? { reason: row.handoff_reason } : null);
    if (summary) await conversations.update(row.account_id, row.id, { summary }, trx);
  }

  /** What the contact and the team said so far, oldest first (for a model to write about). */
  async function transcriptOf(accountId: string, id: string): Promise<HistoryMessage[]> {
    const rows = await messages.allVisible(accountId, id, 200);
    return rows.map((m) => ({ role: m.role as HistoryMessage['role'], content: m.content }));
  }

  /**
   * After a change that may have queued the conversation with its team: serves the team's queue,
   * and answers the conversation as that left it (assigned, perhaps).
   */
  async function serveTeam(principal: Principal, view: ConversationView): Promise<ConversationView> {
    if (view.team_id === null || (await assigner.fill(principal.accountId, [view.team_id])) === 0) return view;
    return presentOne(principal, await load(principal, view.id));
  }

  return {
    load,
    presentOne,

    /** Sums up a conversation the idle timeout has just ended (in its transaction). */
    async summarizeEnded(accountId: string, id: string, trx: Executor): Promise<void> {
      const row = await conversations.findById(accountId, id, trx);
      if (row) await writeEndSummary(row, trx);
    },

    /** A conversation as committed so far in `executor` (for events written in a transaction). */
    async presentStored(accountId: string, id: string, executor: Executor): Promise<ConversationView> {
      return presentWithTags(accountId, id, await conversations.findById(accountId, id, executor), executor);
    },

    /**
     * Records a message's activity on its conversation (inside the message's write) and presents
     * the conversation as that left it, from the updated row itself rather than a second read.
     */
    async touchAndPresent(accountId: string, id: string, at: string, role: MessagesTable['role'], trx: Executor): Promise<ConversationView> {
      return presentWithTags(accountId, id, await conversations.touch(accountId, id, at, role, trx), trx);
    },

    async list(principal: Principal, query: ListConversationsInput) {
      const include = parseIncludes(query.include);
      const me = principal.kind === 'member' ? principal.memberId : null;
      const { filters, options } = toListArgs(query, me);
      const rows = await conversations.list(principal.accountId, { ...filters, searchNotes: seesNotes(principal) }, options);
      const page = toPage(rows, options.limit, (r) => cursorKey(options, r), (r) => r);
      return { items: await present(principal, page.items, include), pagination: page.pagination };
    },

    /** Seed 001: a member opening a conversation resets its unread count. */
    /**
     * Seed 001: a member opening a conversation resets its unread count. The team has then read
     * the contact's messages: `team_read_message_id` moves up to the last of them, announced by
     * `conversation.read` (the widget shows "Seen").
     */
    async get(principal: Principal, id: string, rawInclude?: string): Promise<ConversationView> {
      const include = parseIncludes(rawInclude);
      let row = await load(principal, id);
      if (principal.kind === 'member' && row.unread_count > 0) {
        const seen = row.unread_count;
        row = await eventLog.transaction(principal.accountId, async (trx, emit) => {
          await conversations.markRead(principal.accountId, id, seen, trx);
          const last = await messages.lastIdOf(principal.accountId, id, 'user', trx);
          const current = await conversations.findById(principal.accountId, id, trx);
          if (!current) throw notFound('conversation');
          // The member has read what was unread when they opened it (a message arriving meanwhile stays unread).
          const shown = { ...current, unread_count: 0 };
          if (last !== null && last > (current.team_read_message_id ?? 0)) {
            await conversations.update(principal.accountId, id, { team_read_message_id: last }, trx);
            emit('conversation.read', { conversation_id: id, reader: 'team', message_id: last });
            return { ...shown, team_read_message_id: last };
          }
          return shown;
        });
      }
      return presentOne(principal, row, include);
    },

    /**
     * Hands the conversation to the team, from any source (the AI, the visitor's "Talk to a
     * person", an operator, an automation, an integration), as one transaction: `manual` mode (no
     * AI reply follows), `handoff` {at, source, reason}, the contact counted as waiting, the
     * conversation routed to its channel's or agent's default team, an internal note summing up
     * the conversation for whoever picks it up, the customer told what happens next (by the agent;
     * the widget says it itself for its own button), and `conversation.handoff` (with
     * `conversation.mode_changed` when the AI was answering). Then the team's queue is served. A
     * conversation already handed over is left as it is; an ended one is 422.
     */
    async handoff(principal: Principal, id: string, input: { source: HandoffSource; reason: string | null }): Promise<ConversationView> {
      const accountId = principal.accountId;
      // With an LLM the note is written by the model, before the transaction (never a network call
      // inside it); the extractive note stands in when there is none or it fails.
      const before = writer ? await conversations.findById(accountId, id) : undefined;
      const written =
        writer && before && before.status === 'active' && !(before.mode === 'manual' && before.handoff_at !== null)
          ? await writer({ task: 'handoff', transcript: await transcriptOf(accountId, id), reason: input.reason })
          : null;
      const view = await eventLog.transaction(
        accountId,
        async (trx, emit) => {
          const row = await conversations.findForUpdate(accountId, id, trx);
          if (!row) throw notFound('conversation');
          assertActive(row);
          if (row.mode === 'manual' && row.handoff_at !== null) return presentOne(principal, row, false, trx);
          const now = nowIso();
          const teamId = row.team_id ?? (await defaultTeamOf(row, trx));
          const history = await trx
            .selectFrom('messages')
            .select(['role', 'content'])
            .where('account_id', '=', accountId)
            .where('conversation_id', '=', id)
            .where('role', 'in', ['user', 'assistant', 'operator'])
            .where('status', '=', 'completed')
            .orderBy('id')
            .execute();
          const added: MessageRow[] = [];
          const post = async (role: 'note' | 'assistant', content: string, author: AuthorColumns) =>
            added.push(
              await messages.insert(
                {
                  account_id: accountId,
                  conversation_id: id,
                  role,
                  content,
                  sources: '[]',
                  status: 'completed',
                  error: null,
                  modality: 'text',
                  author_id: null,
                  ...author,
                  created_at: now,
                  updated_at: now,
                },
                trx,
              ),
            );
          const note = written ? `${handoffHeadline(input)}\n\n${written}` : summarizeForHandoff(history, input);
          await post('note', note, { author_type: 'system', author_ref: null, author_name: 'Parley' });
          if (input.source !== 'visitor') {
            const account = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
            const agent = await trx.selectFrom('agents').select(['id', 'name']).where('account_id', '=', accountId).where('id', '=', row.agent_id).executeTakeFirst();
            if (account && agent) {
              const hours = parseBusinessHours(account.business_hours);
              await post('assistant', nextStepsText({ ...teamAvailability(account), timezone: hours?.timezone ?? account.timezone }), agentAuthor(agent));
            }
          }
          await conversations.update(
            accountId,
            id,
            {
              mode: 'manual',
              handoff_at: now,
              handoff_source: input.source,
              handoff_reason: input.reason,
              waiting_since: row.waiting_since ?? now,
              team_id: teamId,
              team_queued_at: queuedAt({ ...row, mode: 'manual' }, row.assignee_id, teamId, now),
              last_message_at: now,
              updated_at: now,
            },
            trx,
          );
          const after = await presentOne(principal, (await conversations.findById(accountId, id, trx))!, false, trx);
          for (const m of added) emit('message.created', { message: presentMessage(m), conversation: after });
          if (row.mode === 'ai') emit('conversation.mode_changed', { conversation: after });
          emit('conversation.handoff', { conversation: after });
          return after;
        },
        sourceOf(principal),
      );
      return serveTeam(principal, view);
    },

    /** The contact's rating of an ended conversation, once (a second answer is 409). */
    async rate(principal: Principal, id: string, input: { rating: number; comment: string | null }): Promise<ConversationView> {
      return change(principal, id, async (row, trx) => {
        if (row.status !== 'ended') throw unprocessable('Only an ended conversation can be rated', { status: ['is active'] });
        if (row.csat_at !== null) throw conflict('This conversation has already been rated');
        const now = nowIso();
        await conversations.update(principal.accountId, id, { csat_rating: input.rating, csat_comment: input.comment, csat_at: now }, trx);
        return 'conversation.csat';
      });
    },

    /**
     * The contact has seen the conversation up to `messageId` (a message of it the contact may see,
     * else 404); only ever moves forward. Announced by `conversation.read` for the inbox.
     */
    async contactRead(principal: Principal, id: string, messageId: number): Promise<void> {
      await eventLog.transaction(
        principal.accountId,
        async (trx, emit) => {
          const row = await conversations.findForUpdate(principal.accountId, id, trx);
          if (!row) throw notFound('conversation');
          const message = await messages.findById(principal.accountId, id, messageId, trx);
          if (!message || message.role === 'note' || message.role === 'system') throw notFound('message');
          if (messageId <= (row.contact_read_message_id ?? 0)) return;
          await conversations.update(principal.accountId, id, { contact_read_message_id: messageId }, trx);
          emit('conversation.read', { conversation_id: id, reader: 'contact', message_id: messageId });
        },
        sourceOf(principal),
      );
    },

    /**
     * Starts a conversation with a contact of the account. An API key's conversations belong to its
     * agent; a member names the agent (`agent_id`).
     */
    async create(
      principal: Principal,
      input: {
        contact_id: number;
        agent_id?: string;
        channel_id?: string;
        title?: string;
        metadata?: Record<string, unknown>;
        /** Set by the widget only. */
        visitor?: VisitorInfo;
      },
      /** A write under way to run in (a channel's receive opens the conversation with its first message). */
      within?: Within,
    ): Promise<ConversationView> {
      const accountId = principal.accountId;
      const metadata = deepMerge({}, (input.metadata ?? {}) as JsonObject);
      assertMetadataFits(metadata);
      let agentId = input.agent_id;
      if (principal.kind === 'api_key') {
        if (agentId !== undefined && agentId !== principal.agentId) {
          throw unprocessable("agent_id must be the API key's own agent", { agent_id: ['is not the agent of this API key'] });
        }
        agentId = principal.agentId;
      }
      if (agentId === undefined) throw unprocessable('agent_id is required', { agent_id: ['is required'] });
      const now = nowIso();
      const row: ConversationRow = {
        id: uuidv7(),
        account_id: accountId,
        agent_id: agentId,
        contact_id: input.contact_id,
        channel_id: input.channel_id ?? null,
        status: 'active',
        end_reason: null,
        mode: 'ai',
        assignee_id: null,
        state_id: null,
        title: input.title ?? null,
        context: null,
        summary: null,
        score: null,
        priority: 'normal',
        metadata: JSON.stringify(metadata),
        turn_count: 0,
        unread_count: 0,
        last_message_at: null,
        ended_at: null,
        created_at: now,
        updated_at: now,
        handoff_at: null,
        handoff_source: null,
        handoff_reason: null,
        waiting_since: null,
        csat_rating: null,
        csat_comment: null,
        csat_at: null,
        contact_read_message_id: null,
        team_read_message_id: null,
        visitor: input.visitor ? JSON.stringify(input.visitor) : null,
        team_id: null,
        team_queued_at: null,
        snoozed_until: null,
        resumed_at: null,
      };
      const transaction: EventLog['transaction'] = within ? (_accountId, fn) => fn(within.trx, within.emit) : eventLog.transaction;
      return transaction(
        accountId,
        async (trx, emit) => {
          // Each checked by a read that keeps the row until this commits (PostgreSQL: a deletion
          // under way is waited for, then seen as gone), so a reference deleted meanwhile is the
          // same 422 as one gone from the start, never a failed foreign key or a dangling channel.
          if (!(await agents.findShared(accountId, agentId, trx))) {
            throw unprocessable('agent_id does not name an agent of this account', { agent_id: ['does not exist in this account'] });
          }
          if (!Number.isSafeInteger(input.contact_id) || !(await contacts.findShared(accountId, input.contact_id, trx))) {
            throw unprocessable('contact_id does not name a contact of this account', { contact_id: ['does not exist in this account'] });
          }
          if (input.channel_id !== undefined && !(await references.channels.findShared(accountId, input.channel_id, trx))) {
            throw unprocessable('channel_id does not name a channel of this account', { channel_id: ['does not exist in this account'] });
          }
          await conversations.insert(row, trx);
          const view = presentConversation(row, []);
          emit('conversation.created', { conversation: view });
          return view;
        },
        sourceOf(principal),
      );
    },

    /** Seed 003's PATCH: title, context, summary, score, state, priority, deep-merged metadata. */
    async update(principal: Principal, id: string, input: ConversationUpdate): Promise<ConversationView> {
      return change(principal, id, async (row, trx) => {
        const patch: ConversationPatch = {};
        for (const key of ['title', 'context', 'summary', 'score', 'priority'] as const) {
          if (input[key] !== undefined && input[key] !== row[key]) Object.assign(patch, { [key]: input[key] });
        }
        if (input.state_id !== undefined && input.state_id !== row.state_id) {
          if (input.state_id !== null && !(await references.states.findShared(principal.accountId, input.state_id, trx))) {
            throw unprocessable('state_id does not name a conversation state of this account', { state_id: ['does not exist'] });
          }
          patch.state_id = input.state_id;
        }
        if (input.metadata !== undefined) {
          const current = parseJsonObject(row.metadata);
          const merged = deepMerge(current, input.metadata as JsonObject);
          assertMetadataFits(merged);
          if (!jsonEqual(current, merged)) patch.metadata = JSON.stringify(merged);
        }
        if (Object.keys(patch).length === 0) return null;
        patch.updated_at = nowIso();
        await conversations.update(principal.accountId, id, patch, trx);
        return 'conversation.updated';
      });
    },

    /** Ends an active conversation once; a second time is 422. */
    async end(principal: Principal, id: string): Promise<ConversationView> {
      const current = writer ? await conversations.findById(principal.accountId, id) : undefined;
      const written =
        writer && current && current.status === 'active' && current.summary === null
          ? await writer({ task: 'summary', transcript: await transcriptOf(principal.accountId, id) })
          : null;
      const view = await change(principal, id, async (row, trx) => {
        if (!(await conversations.end(principal.accountId, id, nowIso(), 'ended', trx))) {
          throw unprocessable('Conversation is already ended', { status: ['is ended'] });
        }
        await writeEndSummary(row, trx, written);
        return 'conversation.ended';
      });
      // Its assignee has room for one more: their teams' queues may move.
      if (view.assignee_id) await assigner.fill(principal.accountId, await assigner.teamsOf(principal.accountId, view.assignee_id));
      return view;
    },

    /**
     * Replaces a title the first message gave with one a model wrote, unless the title has
     * changed since (set through the API): announced by `conversation.updated`.
     */
    async retitle(accountId: string, id: string, from: string, to: string): Promise<void> {
      await eventLog.transaction(accountId, async (trx, emit) => {
        const res = await trx
          .updateTable('conversations')
          .set({ title: to, updated_at: nowIso() })
          .where('account_id', '=', accountId)
          .where('id', '=', id)
          .where('title', '=', from)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) > 0) emit('conversation.updated', { conversation: await presentWithTags(accountId, id, await conversations.findById(accountId, id, trx), trx) });
      });
    },

    async addTag(principal: Principal, id: string, rawTag: string): Promise<ConversationView> {
      const tag = normalizeTag(rawTag);
      if (!tag) throw unprocessable('tag cannot be blank', { tag: ['cannot be blank'] });
      return change(principal, id, async (_row, trx) => {
        const now = nowIso();
        if (!(await conversations.addTag(principal.accountId, id, tag, now, trx))) return null;
        await conversations.update(principal.accountId, id, { updated_at: now }, trx);
        return 'conversation.updated';
      });
    },

    async removeTag(principal: Principal, id: string, rawTag: string): Promise<ConversationView> {
      return change(principal, id, async (_row, trx) => {
        if (!(await conversations.removeTag(principal.accountId, id, normalizeTag(rawTag), trx))) return null;
        await conversations.update(principal.accountId, id, { updated_at: nowIso() }, trx);
        return 'conversation.updated';
      });
    },

    /**
     * Assigns to a member of the account (null unassigns) and/or moves the conversation to a team
     * (null: none); another account's member or team is 422. Handed to a team with nobody assigned,
     * a conversation in manual mode waits in the team's queue, served at once when the team assigns
     * by itself.
     */
    async assign(principal: Principal, id: string, input: { member_id?: string | null; team_id?: string | null }): Promise<ConversationView> {
      const view = await change(principal, id, async (row, trx) => {
        const memberId = input.member_id === undefined ? row.assignee_id : input.member_id;
        const teamId = input.team_id === undefined ? row.team_id : input.team_id;
        if (input.member_id !== undefined && memberId !== null && !(await references.members.findShared(principal.accountId, memberId, trx))) {
          throw unprocessable('member_id does not name a member of this account', { member_id: ['does not exist in this account'] });
        }
        if (input.team_id !== undefined && teamId !== null && !(await references.teams.findShared(principal.accountId, teamId, trx))) {
          throw unprocessable('team_id does not name a team of this account', { team_id: ['does not exist in this account'] });
        }
        if (row.assignee_id === memberId && row.team_id === teamId) return null;
        const now = nowIso();
        await conversations.update(
          principal.accountId,
          id,
          { assignee_id: memberId, team_id: teamId, team_queued_at: queuedAt(row, memberId, teamId, now), updated_at: now },
          trx,
        );
        return [assignedEvent(memberId, teamId, 'manual')];
      });
      return serveTeam(principal, view);
    },

    /**
     * Seed 003's human takeover: `manual` stops AI replies until handed back with `ai`. A member
     * who takes over an unassigned conversation is assigned it (`reason: takeover`).
     */
    async setMode(principal: Principal, id: string, mode: 'ai' | 'manual'): Promise<ConversationView> {
      return change(principal, id, async (row, trx) => {
        assertActive(row);
        if (row.mode === mode) return null;
        const takesIt = mode === 'manual' && principal.kind === 'member' && row.assignee_id === null;
        const assignee = takesIt ? principal.memberId : row.assignee_id;
        const now = nowIso();
        await conversations.update(
          principal.accountId,
          id,
          { mode, assignee_id: assignee, team_queued_at: queuedAt({ ...row, mode }, assignee, row.team_id, now), updated_at: now },
          trx,
        );
        return takesIt ? ['conversation.mode_changed', assignedEvent(principal.memberId, row.team_id, 'takeover')] : 'conversation.mode_changed';
      }).then((view) => (view.mode === 'manual' ? serveTeam(principal, view) : view));
    },

    /**
     * Hides an active conversation from "Open" until `until` (ISO-8601, future, within a year) or
     * the contact's next message; snoozing again moves the time. An ended conversation is 422.
     */
    async snooze(principal: Principal, id: string, rawUntil: string): Promise<ConversationView> {
      const until = parseSnoozeUntil(rawUntil);
      return change(principal, id, async (row, trx) => {
        assertActive(row);
        if (row.snoozed_until === until) return null;
        await conversations.update(principal.accountId, id, { snoozed_until: until, updated_at: nowIso() }, trx);
        return 'conversation.snoozed';
      });
    },

    /** Brings a snoozed conversation back now (reason `manual`); one not snoozed is answered as it is. */
    async unsnooze(principal: Principal, id: string): Promise<ConversationView> {
      return change(principal, id, async (row, trx) => {
        if (row.status !== 'active' || row.snoozed_until === null) return null;
        const now = nowIso();
        await conversations.update(principal.accountId, id, { snoozed_until: null, resumed_at: now, updated_at: now }, trx);
        return [unsnoozedEvent('manual')];
      });
    },

    /**
     * Makes an ended conversation active again for the team (`conversation.reopened`); one that is
     * not ended is 422. With its team and nobody assigned, it waits in the team's queue again.
     */
    async reopen(principal: Principal, id: string): Promise<ConversationView> {
      const view = await change(principal, id, async (row, trx) => {
        if (row.status !== 'ended') throw unprocessable('Only an ended conversation can be reopened', { status: ['is active'] });
        const now = nowIso();
        const reopened = { ...row, status: 'active' as const };
        await conversations.update(
          principal.accountId,
          id,
          {
            status: 'active',
            ended_at: null,
            end_reason: null,
            snoozed_until: null,
            resumed_at: now,
            team_queued_at: queuedAt(reopened, row.assignee_id, row.team_id, now),
            updated_at: now,
          },
          trx,
        );
        return 'conversation.reopened';
      });
      return serveTeam(principal, view);
    },

    /** Seed 003: erases every conversation of a contact with their messages, files and every copy. */
    async deleteForContact(principal: Principal, contactId: number): Promise<number> {
      return erasure.eraseConversationsOfContact(principal.accountId, contactId);
    },

    /** Erases one conversation with its messages, files and every copy; admins and API keys. */
    async remove(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      if ((await erasure.eraseConversations(principal.accountId, [id], 'deleted')) === 0) throw notFound('conversation');
    },
  };
}

export type ConversationsUseCases = ReturnType<typeof createConversationsUseCases>;
