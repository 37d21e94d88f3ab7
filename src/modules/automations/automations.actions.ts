import type { SystemPrincipal } from '../../shared/auth/principal.js';
import type { Executor } from '../../shared/db/database.js';
import { unprocessable } from '../../shared/errors/errors.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { EventView } from '../events/events.usecases.js';
import type { MessagesUseCases } from '../messages/messages.usecases.js';
import type { Action } from './automations.rules.js';

/** The webhook outbox's entry point (src/modules/webhooks/webhooks.outbox.ts), as actions use it. */
export interface WebhookEnqueuer {
  enqueue(
    executor: Executor,
    accountId: string,
    endpointId: string,
    event: { id: number; type: string; created_at: string; data: object },
  ): Promise<void>;
}

export interface ActionTarget {
  principal: SystemPrincipal;
  /** The conversation the event is about (null for contact events). */
  conversationId: string | null;
  event: EventView;
}

/**
 * Runs one action through the same use cases people and keys use, as the system principal, so
 * every change is validated the same way and its events carry `source: 'automation'`.
 * Throws what the use case throws; the consumer records it.
 */
export function createActionRunner({
  executor,
  conversations,
  messages,
  webhooks,
}: {
  executor: Executor;
  conversations: ConversationsUseCases;
  messages: MessagesUseCases;
  /** Null until the webhook outbox is wired: send_webhook then fails, and the run records why. */
  webhooks: WebhookEnqueuer | null;
}) {
  return async function runAction(action: Action, { principal, conversationId, event }: ActionTarget): Promise<void> {
    const { value } = action;
    const text = typeof value === 'string' ? value : '';
    const id = (): string => {
      if (conversationId === null) throw unprocessable(`${action.type} needs a conversation`);
      return conversationId;
    };
    switch (action.type) {
      case 'add_tag':
        await conversations.addTag(principal, id(), text);
        return;
      case 'remove_tag':
        await conversations.removeTag(principal, id(), text);
        return;
      case 'assign':
        await conversations.assign(principal, id(), { member_id: typeof value === 'string' ? value : null });
        return;
      case 'assign_team':
        // Like a person moving it: the assignee stays, and with nobody assigned (in manual mode)
        // it waits in the team's queue, served at once when the team assigns by itself.
        await conversations.assign(principal, id(), { team_id: text });
        return;
      case 'set_mode':
        await conversations.setMode(principal, id(), value === 'manual' ? 'manual' : 'ai');
        return;
      case 'set_state':
        await conversations.update(principal, id(), { state_id: typeof value === 'string' ? value : null });
        return;
      case 'set_priority':
        await conversations.update(principal, id(), { priority: text as 'low' | 'normal' | 'high' | 'urgent' });
        return;
      case 'send_message':
        await messages.send(principal, id(), { content: text, role: 'operator' });
        return;
      case 'add_note':
        await messages.send(principal, id(), { content: text, role: 'note' });
        return;
      case 'end_conversation':
        await conversations.end(principal, id());
        return;
      case 'handoff':
        await conversations.handoff(principal, id(), { source: 'automation', reason: text || null });
        return;
      case 'send_webhook':
        if (!webhooks) throw unprocessable('Webhook deliveries are not available in this process');
        // The endpoint may have been deleted since the rule was saved: enqueue refuses it (404/422).
        await webhooks.enqueue(executor, principal.accountId, text, event);
        return;
    }
  };
}

export type ActionRunner = ReturnType<typeof createActionRunner>;
