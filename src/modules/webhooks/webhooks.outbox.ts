import type { Transaction } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { parseJsonArray } from '../../shared/json/json.js';
import { nowIso } from '../../shared/time.js';
import { audienceOf, deliverable } from '../events/audience.js';
import type { EventRow } from '../events/events.repository.js';
import { presentEvent } from '../events/events.usecases.js';
import type { DeliveryRow, NewDelivery, WebhookDeliveriesRepository } from './webhooks.deliveries.repository.js';
import type { EndpointRow, WebhookEndpointsRepository } from './webhooks.repository.js';

/** An event as webhooks carry it: presentEvent's shape. */
export interface OutboxEvent {
  id: number;
  type: string;
  created_at: string;
  data: object;
}

/**
 * Sent only to the endpoint named in the event (`data.webhook.id`), never to subscribers:
 * POST /webhooks/{id}/test.
 */
const DIRECTED_TYPES = new Set(['webhook.test']);

function directedEndpointId(data: object): string | null {
  const webhook = (data as { webhook?: { id?: unknown } }).webhook;
  return typeof webhook?.id === 'string' ? webhook.id : null;
}

function subscribes(endpoint: EndpointRow, type: string): boolean {
  const events = parseJsonArray<string>(endpoint.events);
  return events.includes('*') || events.includes(type);
}

function newDelivery(accountId: string, endpointId: string, event: OutboxEvent, at: string): NewDelivery {
  return {
    id: uuidv7(),
    account_id: accountId,
    endpoint_id: endpointId,
    event_id: event.id,
    event_type: event.type,
    // Kept in presentEvent's field order; the sender re-serializes it the same way on both dialects.
    payload: JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at, data: event.data }),
    status: 'pending',
    attempts: 0,
    next_attempt_at: at,
    locked_until: null,
    last_status_code: null,
    last_error: null,
    last_duration_ms: null,
    delivered_at: null,
    created_at: at,
    updated_at: at,
  };
}

/**
 * The webhook outbox: deliveries are rows written in the same transaction as the events they carry,
 * so an event that commits is delivered (at least once) and one that rolls back never is.
 */
export function createWebhookOutbox({
  endpoints,
  deliveries,
}: {
  endpoints: WebhookEndpointsRepository;
  deliveries: WebhookDeliveriesRepository;
}) {
  // The deliveries of directed events, by the transaction that wrote them: the event id is only known
  // inside the append hook, so this is how the use case that emitted the event gets its delivery.
  const directed = new WeakMap<Transaction<DB>, DeliveryRow[]>();

  async function deliverDirected(trx: Transaction<DB>, e: EventRow): Promise<void> {
    const event = presentEvent(e);
    const endpointId = directedEndpointId(event.data);
    const endpoint = endpointId ? await endpoints.findForDelivery(e.account_id, endpointId, trx) : undefined;
    if (!endpoint || endpoint.active !== 1) return;
    const rows = await deliveries.insertAll([newDelivery(e.account_id, endpoint.id, event, nowIso())], trx);
    directed.set(trx, [...(directed.get(trx) ?? []), ...rows]);
  }

  return {
    /**
     * The event log's append hook (registered in services.ts): runs inside every event-producing
     * transaction and writes one delivery per event and active endpoint subscribed to its type.
     */
    async hook(trx: Transaction<DB>, events: EventRow[]): Promise<void> {
      const byAccount = new Map<string, EventRow[]>();
      for (const e of events) {
        if (!deliverable(e.audience)) continue; // an internal note: members only
        if (DIRECTED_TYPES.has(e.type)) {
          await deliverDirected(trx, e);
          continue;
        }
        const list = byAccount.get(e.account_id) ?? [];
        list.push(e);
        byAccount.set(e.account_id, list);
      }
      for (const [accountId, accountEvents] of byAccount) {
        // An endpoint deleted by a concurrent DELETE /webhooks/{id} must cost it its delivery, not fail
        // this unrelated write on the deliveries' foreign key. On PostgreSQL listActive locks the
        // endpoints FOR KEY SHARE: a deletion under way is waited for and its endpoint left out, and a
        // later one waits for this commit, then cascades to the deliveries written here. Checking in
        // the insert instead (INSERT … SELECT … WHERE EXISTS) would not do under READ COMMITTED: a
        // deletion not yet committed still passes the check, then fails the foreign key's own check.
        // SQLite runs one writer at a time, so nothing can be deleted between the read and the insert.
        const active = await endpoints.listActive(accountId, trx);
        if (active.length === 0) continue;
        const at = nowIso();
        const rows = accountEvents.flatMap((e) => {
          const event = presentEvent(e);
          return active.filter((ep) => subscribes(ep, e.type)).map((ep) => newDelivery(accountId, ep.id, event, at));
        });
        await deliveries.insertAll(rows, trx);
      }
    },

    /**
     * Queues `event` for one endpoint, whatever its subscriptions (automations' `send_webhook`).
     * Pass the caller's transaction so the delivery commits with it. Throws NOT_FOUND when the
     * account has no such endpoint and UNPROCESSABLE_ENTITY when the endpoint is inactive.
     */
    async enqueue(executor: Executor, accountId: string, endpointId: string, event: OutboxEvent): Promise<void> {
      // As in the hook: notes are for members only, and a rule (which an API key may write) cannot send one.
      if (!deliverable(audienceOf(event.type, event.data as Record<string, unknown>))) {
        throw unprocessable('Internal notes are not sent to webhooks', { event: ['is about an internal note'] });
      }
      const run = async (trx: Executor) => {
        // Locked until the insert commits, as in the hook: a concurrent deletion is NOT_FOUND, not a failed foreign key.
        const endpoint = await endpoints.findForDelivery(accountId, endpointId, trx);
        if (!endpoint) throw notFound('webhook');
        if (endpoint.active !== 1) throw unprocessable('Webhook is inactive', { webhook: ['is inactive; re-enable it first'] });
        await deliveries.insertAll([newDelivery(accountId, endpointId, event, nowIso())], trx);
      };
      // The read's lock lasts only as long as its transaction: give it one when the caller has none.
      if (executor.isTransaction) await run(executor);
      else await executor.transaction().execute(run);
    },

    /** The deliveries the hook wrote for directed events (webhook.test) in this transaction. */
    directedIn(trx: Transaction<DB>): DeliveryRow[] {
      return directed.get(trx) ?? [];
    },
  };
}

export type WebhookOutbox = ReturnType<typeof createWebhookOutbox>;
