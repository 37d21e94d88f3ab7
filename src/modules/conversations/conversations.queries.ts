import type { Principal } from '../../shared/auth/principal.js';
import { badRequest } from '../../shared/errors/errors.js';
import { decodeCursor, type CursorValue } from '../../shared/pagination/pagination.js';
import type { ConversationFilters, ListOptions, SortColumn } from './conversations.repository.js';

/** The inbox's built-in views, each a fixed set of filters (see viewFilters). */
export const VIEWS = ['open', 'mine', 'unassigned', 'waiting', 'snoozed', 'ended', 'all'] as const;
export type InboxView = (typeof VIEWS)[number];

/**
 * What each view shows: "open" is active and not snoozed; mine, unassigned and waiting narrow
 * "open"; "mine" is the signed-in member's (`me`: resolved by the caller).
 */
export function viewFilters(view: InboxView, me: string | null): ConversationFilters {
  const open: ConversationFilters = { status: 'active', snoozed: false };
  switch (view) {
    case 'open':
      return open;
    case 'mine':
      return { ...open, assigneeId: me ?? undefined };
    case 'unassigned':
      return { ...open, assigneeId: null };
    case 'waiting':
      return { ...open, waiting: true };
    case 'snoozed':
      return { status: 'active', snoozed: true };
    case 'ended':
      return { status: 'ended' };
    case 'all':
      return {};
  }
}

/**
 * Both sets of filters at once: a filter set in only one is kept; one set in both to different
 * values cannot match anything (`none`).
 */
export function combineFilters(a: ConversationFilters, b: ConversationFilters): ConversationFilters {
  const out: ConversationFilters = { ...a };
  const set = out as Record<string, unknown>;
  for (const [key, value] of Object.entries(b)) {
    if (value === undefined) continue;
    const mine = set[key];
    if (mine !== undefined && mine !== value) out.none = true;
    else set[key] = value;
  }
  return out;
}

/** What `include` may ask for, comma-separated. */
export const INCLUDES = ['recent_messages', 'contact', 'last_message'] as const;
export type Include = (typeof INCLUDES)[number];

/** `include=contact,last_message` as a set; an unknown name is a 400 that lists the known ones. */
export function parseIncludes(raw: string | undefined): Set<Include> {
  const out = new Set<Include>();
  if (raw === undefined) return out;
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!(INCLUDES as readonly string[]).includes(part)) {
      throw badRequest(`include can be ${INCLUDES.join(', ')} (comma-separated), not "${part.slice(0, 40)}"`, {
        include: [`"${part.slice(0, 40)}" is not something a conversation can include`],
      });
    }
    out.add(part as Include);
  }
  return out;
}

export interface ListConversationsInput {
  status?: 'active' | 'ended';
  agent_id?: string;
  contact_id?: number;
  channel_id?: string;
  channel_type?: string;
  tag?: string;
  assignee_id?: string;
  team_id?: string;
  mode?: 'ai' | 'manual';
  state_id?: string;
  has_feedback?: boolean;
  waiting?: boolean;
  snoozed?: boolean;
  priority?: string;
  view?: InboxView;
  q?: string;
  since?: string;
  until?: string;
  sort?: SortColumn;
  order?: 'asc' | 'desc';
  include?: string;
  cursor?: string;
  limit?: number;
}

/** An ISO-8601 instant (seed 002 writes offsets like +0700) as stored: UTC with milliseconds. */
export function parseInstant(value: string, field: string): string {
  const normalized = value.trim().replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?)?$/i.test(normalized)
    ? Date.parse(normalized)
    : NaN;
  if (Number.isNaN(ms)) {
    const problem = 'must be a date and time, like 2026-01-31T09:30:00Z';
    throw badRequest(`${field} ${problem}`, { [field]: [problem] });
  }
  return new Date(ms).toISOString();
}

/** Normalises a tag: trimmed, lower-cased, inner white space collapsed. */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Turns the query string into repository filters and keyset options. The cursor carries the sort
 * and order it was made for, so a cursor reused under another ordering is refused rather than
 * silently skipping rows.
 */
export function toListArgs(input: ListConversationsInput, me: string | null = null): { filters: ConversationFilters; options: ListOptions } {
  // "me" (the assignee filter and the view) is the signed-in member; an API key has no "me".
  if (input.assignee_id === 'me' && me === null) throw badRequest('assignee_id=me is for signed-in members', { assignee_id: ['"me" needs a member session'] });
  if (input.view === 'mine' && me === null) throw badRequest('view=mine is for signed-in members', { view: ['"mine" needs a member session'] });
  const sort = input.sort ?? 'created_at';
  const order = input.order ?? 'desc';
  const raw = decodeCursor(input.cursor, ['string', 'string', 'string']);
  let after: CursorValue[] | null = null;
  if (raw) {
    const [tag, value, id] = raw as string[];
    if (tag !== `${sort}:${order}`) {
      throw badRequest('Invalid cursor', { cursor: ['was made for another sort or order'] });
    }
    after = [value, id];
  }
  const filters: ConversationFilters = {
    status: input.status,
    agentId: input.agent_id,
    contactId: input.contact_id,
    channelId: input.channel_id,
    channelType: input.channel_type,
    tag: input.tag === undefined ? undefined : normalizeTag(input.tag),
    assigneeId: input.assignee_id === 'unassigned' ? null : input.assignee_id === 'me' ? me! : input.assignee_id,
    teamId: input.team_id,
    mode: input.mode,
    stateId: input.state_id,
    hasFeedback: input.has_feedback,
    waiting: input.waiting,
    snoozed: input.snoozed,
    priority: input.priority,
    q: input.q,
    since: input.since === undefined ? undefined : parseInstant(input.since, 'since'),
    until: input.until === undefined ? undefined : parseInstant(input.until, 'until'),
  };
  return { filters: input.view ? combineFilters(viewFilters(input.view, me), filters) : filters, options: { sort, order, after, limit: input.limit ?? 20 } };
}

/** The cursor of the last row of a page under the given ordering. */
export function cursorKey(options: ListOptions, row: { id: string; created_at: string; updated_at: string; last_message_at: string | null }): string[] {
  const value = options.sort === 'last_activity' ? (row.last_message_at ?? row.created_at) : row[options.sort];
  return [`${options.sort}:${options.order}`, value, row.id];
}

/** Members see internal notes; API keys do not. */
export function seesNotes(principal: Principal): boolean {
  return principal.kind === 'member';
}
