import type { SystemPrincipal } from '../../shared/auth/principal.js';
import type { Database } from '../../shared/db/database.js';
import { isAppError } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { isPlainObject, parseJsonArray, parseJsonObject, type JsonObject, type JsonValue } from '../../shared/json/json.js';
import { nowIso } from '../../shared/time.js';
import type { ChannelsRepository } from '../channels/channels.repository.js';
import type { ContactsRepository } from '../contacts/contacts.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { EventRow, EventsRepository } from '../events/events.repository.js';
import { presentEvent, type EventView } from '../events/events.usecases.js';
import type { ActionRunner } from './automations.actions.js';
import { createLogConsumer } from '../events/events.checkpoint.js';
import { matches, type RuleContext } from './automations.conditions.js';
import type { ActionResult } from './automations.presenters.js';
import type { AutomationRow, AutomationsRepository } from './automations.repository.js';
import type { Action, Condition } from './automations.rules.js';

/** The consumer's name in `event_consumers`. */
export const AUTOMATIONS_CONSUMER = 'automations';
const BATCH_SIZE = 100;

const obj = (v: JsonValue | undefined): JsonObject | null => (isPlainObject(v) ? (v as JsonObject) : null);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);

/** An error as a run records it: the use case's message (a 4xx explains itself), bounded. */
function describe(err: unknown): string {
  const message = isAppError(err) || err instanceof Error ? err.message : String(err);
  return message.slice(0, 500);
}

export interface AutomationsConsumerDeps {
  database: Database;
  events: EventsRepository;
  automations: AutomationsRepository;
  conversations: ConversationsUseCases;
  contacts: ContactsRepository;
  channels: ChannelsRepository;
  runAction: ActionRunner;
}

/**
 * Runs automation rules after commit, from the event log (issue 4): reads the events after its
 * checkpoint, evaluates each account's active rules for the event's type, runs the actions of
 * those that match and records every evaluation as a run. Events caused by automations are
 * skipped, so rules never trigger each other (or themselves) in a loop.
 */
export function createAutomationsConsumer(deps: AutomationsConsumerDeps) {
  const { database, events, automations, conversations, contacts, channels, runAction } = deps;

  /** What the rules of this event can read: the event's own snapshot, plus what it only refers to. */
  async function contextOf(accountId: string, event: EventView): Promise<RuleContext> {
    const data = event.data;
    const message = obj(data.message);
    let conversation = obj(data.conversation);
    const messageConversation = str(message?.conversation_id);
    if (!conversation && messageConversation) {
      // message.feedback carries only the message.
      conversation = await conversations.presentStored(accountId, messageConversation, database.db).then(
        (c) => c as unknown as JsonObject,
        (err: unknown) => {
          // Deleted since: the rule still runs, on what the event itself says.
          if (isAppError(err) && err.code === 'NOT_FOUND') return null;
          throw err;
        },
      );
    }
    let contact = obj(data.contact);
    if (!contact && conversation && typeof conversation.contact_id === 'number') {
      const row = await contacts.findById(accountId, conversation.contact_id);
      contact = row ? { email: row.email, metadata: parseJsonObject(row.metadata) } : null;
    }
    const channelId = str(conversation?.channel_id);
    const channel = channelId ? await channels.findById(accountId, channelId) : undefined;
    return {
      message: message ? { content: str(message.content) ?? '', role: str(message.role) ?? '' } : null,
      conversation: conversation
        ? {
            id: str(conversation.id) ?? '',
            channel_type: channel?.type ?? null,
            mode: str(conversation.mode) ?? '',
            tags: Array.isArray(conversation.tags) ? conversation.tags.filter((t): t is string => typeof t === 'string') : [],
            priority: str(conversation.priority) ?? '',
            agent_id: str(conversation.agent_id) ?? '',
            team_id: str(conversation.team_id),
          }
        : null,
      contact: contact ? { email: str(contact.email), metadata: obj(contact.metadata) ?? {} } : null,
    };
  }

  /** Evaluates one rule against one event, runs its actions if it matches; returns 1 when it recorded a run. */
  async function runRule(rule: AutomationRow, event: EventView, ctx: RuleContext | null, ctxError: string | null): Promise<number> {
    const accountId = rule.account_id;
    const existing = await automations.findRun(accountId, rule.id, event.id);
    if (existing) {
      // Only a crash leaves a run "running": its actions may have happened, so it is never retried.
      if (existing.status === 'running') {
        await automations.finishRun(accountId, existing.id, {
          status: 'error',
          actions: existing.actions,
          error: 'Interrupted before its actions finished; not retried, so that no action runs twice',
        });
      }
      return 0;
    }
    let matched = false;
    let error = ctxError;
    if (ctx) {
      try {
        matched = matches(parseJsonArray<Condition>(rule.conditions), ctx);
      } catch (err) {
        error = describe(err);
      }
    }
    const run = {
      id: uuidv7(),
      account_id: accountId,
      automation_id: rule.id,
      event_id: event.id,
      event_type: event.type,
      conversation_id: ctx?.conversation?.id || null,
      matched: matched ? 1 : 0,
      // Claimed before the actions run: the unique (automation, event) row makes them at-most-once.
      status: matched ? 'running' : error ? 'error' : 'ok',
      actions: '[]',
      error,
      created_at: nowIso(),
    };
    if (!(await automations.insertRun(run))) return 0;
    if (!matched) return 1;

    const principal: SystemPrincipal = { kind: 'system', accountId, source: 'automation' };
    const results: ActionResult[] = [];
    // Actions are independent steps: one failing (e.g. a message to an ended conversation) does not
    // stop the next; each result is recorded.
    for (const action of parseJsonArray<Action>(rule.actions)) {
      try {
        await runAction(action, { principal, conversationId: run.conversation_id, event });
        results.push({ type: action.type, status: 'ok', error: null });
      } catch (err) {
        results.push({ type: action.type, status: 'error', error: describe(err) });
      }
    }
    const failed = results.filter((r) => r.status === 'error').length;
    await automations.finishRun(accountId, run.id, {
      status: failed > 0 ? 'error' : 'ok',
      actions: JSON.stringify(results),
      error: failed > 0 ? `${failed} of ${results.length} actions failed` : null,
    });
    return 1;
  }

  /** The active rules of the accounts in a batch, by account and event type. */
  async function rulesFor(rows: EventRow[]): Promise<Map<string, AutomationRow[]>> {
    const byKey = new Map<string, AutomationRow[]>();
    for (const rule of await automations.listActive([...new Set(rows.map((r) => r.account_id))])) {
      const key = `${rule.account_id} ${rule.event}`;
      byKey.set(key, [...(byKey.get(key) ?? []), rule]);
    }
    return byKey;
  }

  async function handle(row: EventRow, active: Map<string, AutomationRow[]>): Promise<number> {
    if (row.source === 'automation') return 0;
    // A rule applies to events that happen after it was created, not to a backlog it never saw;
    // an event stamped in the very millisecond the rule was created counts as before it.
    const rules = (active.get(`${row.account_id} ${row.type}`) ?? []).filter((r) => r.created_at < row.created_at);
    if (rules.length === 0) return 0;
    const event = presentEvent(row);
    let ctx: RuleContext | null = null;
    let ctxError: string | null = null;
    try {
      ctx = await contextOf(row.account_id, event);
    } catch (err) {
      ctxError = describe(err);
    }
    let runs = 0;
    for (const rule of rules) runs += await runRule(rule, event, ctx, ctxError);
    return runs;
  }

  /** Runs a batch's events through their rules; returns how many runs it recorded. */
  async function handleBatch(rows: EventRow[]): Promise<number> {
    const fresh = rows.filter((r) => r.source !== 'automation');
    const active = await rulesFor(fresh);
    let runs = 0;
    for (const row of fresh) runs += await handle(row, active);
    return runs;
  }

  return createLogConsumer({ database, name: AUTOMATIONS_CONSUMER, events, batchSize: BATCH_SIZE, handle: handleBatch });
}

export type AutomationsConsumer = ReturnType<typeof createAutomationsConsumer>;
