import type { Principal } from '../../shared/auth/principal.js';
import { badRequest } from '../../shared/errors/errors.js';
import { decodeCursor, type CursorValue } from '../../shared/pagination/pagination.js';
import type { ConversationFilters, ListOptions, SortColumn } from './conversations.repository.js';

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
  q?: string;
  since?: string;
  until?: string;
  sort?: SortColumn;
  order?: 'asc' | 'desc';
  include?: 'recent_messages';
  cursor?: string;
  limit?: number;
}

/** An ISO-8601 instant (seed 002 writes offsets like +0700) as stored: UTC with milliseconds. */
export function parseInstant(value: string, field: string): string {
  const normalized = value.trim().replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?)?$/i.test(normalized)
    ? Date.parse(normalized)
    : NaN;
  if (Number.isNaN(ms)) throw badRequest(`Invalid \`${field}\``, { [field]: ['must be an ISO-8601 date-time'] });
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
export function toListArgs(input: ListConversationsInput): { filters: ConversationFilters; options: ListOptions } {
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
    assigneeId: input.assignee_id === 'unassigned' ? null : input.assignee_id,
    teamId: input.team_id,
    mode: input.mode,
    stateId: input.state_id,
    hasFeedback: input.has_feedback,
    waiting: input.waiting,
    q: input.q,
    since: input.since === undefined ? undefined : parseInstant(input.since, 'since'),
    until: input.until === undefined ? undefined : parseInstant(input.until, 'until'),
  };
  return { filters, options: { sort, order, after, limit: input.limit ?? 20 } };
}

/** The cursor of the last row of a page under the given ordering. */
export function cursorKey(options: ListOptions, row: { id: string; created_at: string; updated_at: string }): string[] {
  return [`${options.sort}:${options.order}`, row[options.sort], row.id];
}

/** Members see internal notes; API keys do not. */
export function seesNotes(principal: Principal): boolean {
  return principal.kind === 'member';
}
