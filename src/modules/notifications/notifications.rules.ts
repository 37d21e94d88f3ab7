import { memberOfSource } from '../../shared/auth/principal.js';
import { isPlainObject, type JsonObject, type JsonValue } from '../../shared/json/json.js';
import type { EventRow } from '../events/events.repository.js';
import { mentionedIn, previewOf } from './notifications.mentions.js';
import type { NotificationKind, NotificationsRepository } from './notifications.repository.js';

/** A notification the consumer is to store for one member. */
export interface Planned {
  memberId: string;
  kind: NotificationKind;
  conversationId: string | null;
  actorName: string | null;
  preview: string | null;
}

/** The events notifications are made from; the consumer skips every other type without parsing it. */
export const NOTIFYING_EVENTS = new Set(['conversation.assigned', 'conversation.handoff', 'conversation.unsnoozed', 'message.created']);

/** The name Parley signs what it does by itself (auto-assignment), as on its handoff notes. */
const PARLEY = 'Parley';

const obj = (v: JsonValue | undefined): JsonObject | null => (isPlainObject(v) ? (v as JsonObject) : null);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);

/**
 * Most messages are the AI's and the team's replies: those are set aside before any lookup (the
 * rules below decide the rest).
 */
function mayNotify(message: JsonObject | null, conversation: JsonObject): boolean {
  if (message?.role === 'user') return str(conversation.assignee_id) !== null;
  return message?.role === 'note' && typeof message.content === 'string' && message.content.includes('@');
}

type Lookups = Pick<NotificationsRepository, 'membersOf' | 'teamMemberIds' | 'agentName' | 'contactName'>;

/**
 * Who is told of an event, and how (issue 16): an assignment to someone by someone else, a
 * handoff to a team's queue, a contact's message in a member's conversation, a mention in a note,
 * a snooze that ran out (a contact's reply wakes it too, but then the message itself is told).
 * Nobody is told of what they did themselves. Only members of the event's account are addressed.
 */
export function createNotificationRules(lookups: Lookups) {
  /** Who did it, in words: the member, or what acted for Parley. */
  async function actorOf(row: EventRow, conversation: JsonObject, members: Map<string, string>): Promise<string | null> {
    const memberId = memberOfSource(row.source);
    if (memberId) return members.get(memberId) ?? null;
    if (row.source === 'automation') return 'Automation';
    if (row.source === 'widget' && typeof conversation.contact_id === 'number') return lookups.contactName(row.account_id, conversation.contact_id);
    const agentId = str(conversation.agent_id);
    if (row.source === 'ai' && agentId) return lookups.agentName(row.account_id, agentId);
    return null;
  }

  /**
   * Who hears of a handoff: its assignee when it has one, else the members of its team; with no
   * team (a workspace that has none), everyone, as for a team of the whole workspace.
   */
  async function handedTo(accountId: string, conversation: JsonObject, everyone: string[]): Promise<string[]> {
    const assignee = str(conversation.assignee_id);
    if (assignee) return [assignee];
    const team = str(conversation.team_id);
    return team ? lookups.teamMemberIds(accountId, team) : everyone;
  }

  return {
    async plan(row: EventRow): Promise<Planned[]> {
      if (!NOTIFYING_EVENTS.has(row.type)) return [];
      const data = JSON.parse(row.data) as JsonObject;
      const conversation = obj(data.conversation);
      if (!conversation) return [];
      if (row.type === 'message.created' && !mayNotify(obj(data.message), conversation)) return [];
      const conversationId = str(conversation.id);
      const accountMembers = await lookups.membersOf(row.account_id);
      const members = new Map(accountMembers.map((m) => [m.id, m.name]));
      const actorId = memberOfSource(row.source);
      const to = (ids: string[], kind: NotificationKind, actorName: string | null, preview: string | null): Planned[] =>
        [...new Set(ids)]
          .filter((id) => id !== actorId && members.has(id))
          .map((memberId) => ({ memberId, kind, conversationId, actorName, preview }));

      if (row.type === 'conversation.assigned') {
        const assignment = obj(data.assignment);
        const assignee = str(assignment?.assignee_id);
        const reason = str(assignment?.reason);
        if (assignee) {
          // A takeover is the member taking it for themselves.
          if (reason === 'takeover') return [];
          const actor = reason === 'auto' ? PARLEY : await actorOf(row, conversation, members);
          return to([assignee], 'assigned', actor, null);
        }
        // Moved to a team's queue with nobody assigned (waiting for a person): the team is told.
        const team = str(assignment?.team_id);
        if (!team || conversation.mode !== 'manual' || conversation.status !== 'active') return [];
        return to(await lookups.teamMemberIds(row.account_id, team), 'team_handoff', await actorOf(row, conversation, members), null);
      }

      if (row.type === 'conversation.unsnoozed') {
        if (data.reason !== 'time' || conversation.status !== 'active') return [];
        // Whoever it waits for: its assignee, else its team; an unassigned conversation of no team
        // is simply back in "Open" for everyone, with no one in particular to tell.
        const assignee = str(conversation.assignee_id);
        const team = str(conversation.team_id);
        const ids = assignee ? [assignee] : team ? await lookups.teamMemberIds(row.account_id, team) : [];
        return to(ids, 'snooze_ended', null, null);
      }

      if (row.type === 'conversation.handoff') {
        const handoff = obj(conversation.handoff);
        return to(await handedTo(row.account_id, conversation, [...members.keys()]), 'team_handoff', await actorOf(row, conversation, members), previewOf(str(handoff?.reason)));
      }

      const message = obj(data.message);
      if (!message) return [];
      const author = obj(message.author);
      if (message.role === 'user') {
        const assignee = str(conversation.assignee_id);
        return assignee ? to([assignee], 'message', str(author?.name), previewOf(str(message.content))) : [];
      }
      // Notes by people (a member, an integration's key); never Parley's own handoff summaries,
      // which quote the contact.
      if (message.role === 'note' && (author?.type === 'member' || author?.type === 'api_key')) {
        const content = str(message.content) ?? '';
        const authorId = author.type === 'member' ? str(author.id) : null;
        const mentioned = mentionedIn(content, accountMembers).map((m) => m.id).filter((id) => id !== authorId);
        return to(mentioned, 'mention', str(author.name), previewOf(content));
      }
      return [];
    },
  };
}

export type NotificationRules = ReturnType<typeof createNotificationRules>;
