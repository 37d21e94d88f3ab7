import type { Principal } from '../../shared/auth/principal.js';
import { isAppError, unprocessable, type ErrorCode } from '../../shared/errors/errors.js';
import { normalizeTag } from './conversations.queries.js';
import { PRIORITIES } from './conversations.schemas.js';
import { parseSnoozeUntil } from './conversations.snooze.js';
import type { ConversationView } from './conversations.presenters.js';
import type { ConversationsUseCases } from './conversations.usecases.js';
import { UUID_PATTERN as UUID } from '../../shared/ids.js';

export const BULK_ACTIONS = ['assign', 'tag', 'untag', 'set_state', 'set_priority', 'snooze', 'unsnooze', 'end', 'reopen'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type BulkResult =
  | { id: string; ok: true; conversation: ConversationView }
  | { id: string; ok: false; error: { code: ErrorCode; message: string } };

type Lookup = { findById(accountId: string, id: string): Promise<unknown> };

/**
 * One action on up to 100 conversations: the request is checked whole first (an unknown action or
 * a value the action cannot take is 422 and nothing changes), then each conversation goes through
 * the same use case as its own route (same rules, same events), one after the other; one that fails
 * (not found, already ended…) is reported and does not undo the others.
 */
export function createBulkUseCases({
  conversations,
  members,
  states,
}: {
  conversations: ConversationsUseCases;
  members: Lookup;
  states: Lookup;
}) {
  const badValue = (message: string) => unprocessable(message, { value: [message] });

  /** The change to make to each conversation, once the action and its value are known to be sound. */
  async function prepare(principal: Principal, action: string, value: string | null | undefined): Promise<(id: string) => Promise<ConversationView>> {
    const accountId = principal.accountId;
    const noValue = () => {
      if (value !== undefined && value !== null) throw badValue(`"${action}" takes no value`);
    };
    switch (action as BulkAction) {
      case 'assign': {
        if (value === undefined) throw badValue('Say whom to assign: a member id, "me", or null to unassign');
        let memberId = value;
        if (value === 'me') {
          if (principal.kind !== 'member') throw badValue('"me" is for signed-in members');
          memberId = principal.memberId;
        } else if (value !== null && (!UUID.test(value) || !(await members.findById(accountId, value.toLowerCase())))) {
          throw badValue('value does not name a member of this workspace');
        }
        const member = memberId === null ? null : memberId.toLowerCase();
        return (id) => conversations.assign(principal, id, { member_id: member });
      }
      case 'tag':
      case 'untag': {
        const tag = typeof value === 'string' ? normalizeTag(value) : '';
        if (tag === '' || tag.length > 50) throw badValue('Give a tag of 1 to 50 characters');
        return action === 'tag' ? (id) => conversations.addTag(principal, id, tag) : (id) => conversations.removeTag(principal, id, tag);
      }
      case 'set_state': {
        if (value === undefined) throw badValue('Say which state: a state id, or null to clear it');
        if (value !== null && (!UUID.test(value) || !(await states.findById(accountId, value.toLowerCase())))) {
          throw badValue('value does not name a conversation state of this workspace');
        }
        const stateId = value === null ? null : value.toLowerCase();
        return (id) => conversations.update(principal, id, { state_id: stateId });
      }
      case 'set_priority': {
        const priority = PRIORITIES.find((p) => p === value);
        if (!priority) throw badValue(`Priority is one of ${PRIORITIES.join(', ')}`);
        return (id) => conversations.update(principal, id, { priority });
      }
      case 'snooze': {
        if (typeof value !== 'string') throw badValue('Say until when to snooze, as a date and time');
        const until = parseSnoozeUntil(value);
        return (id) => conversations.snooze(principal, id, until);
      }
      case 'unsnooze':
        noValue();
        return (id) => conversations.unsnooze(principal, id);
      case 'end':
        noValue();
        return (id) => conversations.end(principal, id);
      case 'reopen':
        noValue();
        return (id) => conversations.reopen(principal, id);
      default:
        throw unprocessable(`Unknown action; use one of ${BULK_ACTIONS.join(', ')}`, { action: [`must be one of ${BULK_ACTIONS.join(', ')}`] });
    }
  }

  return {
    async run(principal: Principal, input: { ids: string[]; action: string; value?: string | null }): Promise<BulkResult[]> {
      if (new Set(input.ids).size !== input.ids.length) throw unprocessable('Each conversation can be named once', { ids: ['must be distinct'] });
      const apply = await prepare(principal, input.action, input.value);
      const results: BulkResult[] = [];
      for (const id of input.ids) {
        try {
          results.push({ id, ok: true, conversation: await apply(id) });
        } catch (err) {
          if (!isAppError(err)) throw err;
          results.push({ id, ok: false, error: { code: err.code, message: err.message } });
        }
      }
      return results;
    },
  };
}

export type BulkUseCases = ReturnType<typeof createBulkUseCases>;
