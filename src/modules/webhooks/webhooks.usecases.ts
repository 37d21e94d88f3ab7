import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import { conflict, notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { parseJsonArray } from '../../shared/json/json.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { EventLog } from '../events/events.log.js';
import type { WebhookDeliveriesRepository } from './webhooks.deliveries.repository.js';
import type { WebhookOutbox } from './webhooks.outbox.js';
import { presentDelivery, presentWebhook, presentWebhookWithSecret, type DeliveryView, type WebhookView } from './webhooks.presenters.js';
import type { EndpointRow, WebhookEndpointsRepository } from './webhooks.repository.js';
import { EVENT_TYPES, type DeliveryStatus } from './webhooks.schemas.js';
import { generateSecret } from './webhooks.signing.js';
import { assertPublicUrl, parseWebhookUrl } from './webhooks.urls.js';

export interface WebhookInput {
  url?: string;
  events?: string[];
  description?: string;
  active?: boolean;
}

/** Stored as given but deduplicated and in a stable order; "*" stands alone, since it covers the rest. */
function cleanEvents(events: string[]): string[] {
  if (events.includes('*')) return ['*'];
  return EVENT_TYPES.filter((t) => events.includes(t));
}

export interface WebhooksUseCasesOptions {
  eventLog: EventLog;
  endpoints: WebhookEndpointsRepository;
  deliveries: WebhookDeliveriesRepository;
  outbox: WebhookOutbox;
  /** PARLEY_WEBHOOK_ALLOW_PRIVATE: accept endpoints on loopback and private networks. */
  allowPrivate: boolean;
}

/**
 * Webhook endpoints and their deliveries, for admins and API keys only: an endpoint's URL and
 * deliveries say where the account's data goes, so agent-role members get 403 even for reads.
 */
export function createWebhooksUseCases({ eventLog, endpoints, deliveries, outbox, allowPrivate }: WebhooksUseCasesOptions) {
  async function load(principal: Principal, id: string): Promise<EndpointRow> {
    requireAdminOrKey(principal);
    const row = await endpoints.findById(principal.accountId, id);
    if (!row) throw notFound('webhook');
    return row;
  }

  async function checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw);
    await assertPublicUrl(url, allowPrivate);
    return url.toString();
  }

  return {
    async list(principal: Principal, query: { active?: boolean; cursor?: string; limit?: number }) {
      requireAdminOrKey(principal);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await endpoints.list(principal.accountId, { active: query.active }, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentWebhook);
    },

    async get(principal: Principal, id: string): Promise<WebhookView> {
      return presentWebhook(await load(principal, id));
    },

    /** Creates an endpoint; the answer is the only one, with rotation's, that shows the secret. */
    async create(principal: Principal, input: WebhookInput & { url: string }) {
      requireAdminOrKey(principal);
      const now = nowIso();
      const active = input.active !== false;
      const row: EndpointRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        url: await checkedUrl(input.url),
        description: (input.description ?? '').trim(),
        events: JSON.stringify(cleanEvents(input.events ?? ['*'])),
        secret: generateSecret(),
        active: active ? 1 : 0,
        failing_since: null,
        deactivated_at: active ? null : now,
        created_at: now,
        updated_at: now,
      };
      await endpoints.insert(row);
      return presentWebhookWithSecret(row);
    },

    /** Fields left out keep their value. Re-enabling forgets the failing streak that disabled it. */
    async update(principal: Principal, id: string, input: WebhookInput): Promise<WebhookView> {
      requireAdminOrKey(principal);
      // A new URL is resolved (DNS) before the locked write, never inside it; a missing endpoint is
      // still a 404 before its URL is judged. Without one, the locked read alone tells the 404.
      let url: string | undefined;
      if (input.url !== undefined) {
        await load(principal, id);
        url = await checkedUrl(input.url);
      }
      const events = input.events === undefined ? undefined : JSON.stringify(cleanEvents(input.events));
      const description = input.description?.trim();
      // Compared against the endpoint as stored when the change is written (updateLocked), so a
      // PATCH that finds nothing to change still answers what another one has just stored.
      const updated = await endpoints.updateLocked(principal.accountId, id, (row, now) => {
        const changes: Partial<EndpointRow> = {};
        if (url !== undefined && url !== row.url) changes.url = url;
        if (events !== undefined && events !== JSON.stringify(parseJsonArray(row.events))) changes.events = events;
        if (description !== undefined && description !== row.description) changes.description = description;
        if (input.active !== undefined && (input.active ? 1 : 0) !== row.active) {
          changes.active = input.active ? 1 : 0;
          changes.deactivated_at = input.active ? null : now;
          changes.failing_since = null;
        }
        return changes;
      });
      if (!updated) throw notFound('webhook');
      return presentWebhook(updated);
    },

    /** Deletes an endpoint and its deliveries; anything still queued for it is dropped. */
    async delete(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      if (!(await endpoints.delete(principal.accountId, id))) throw notFound('webhook');
    },

    /** A new secret at once; the old one stops signing immediately. */
    async rotateSecret(principal: Principal, id: string) {
      await load(principal, id);
      const updated = await endpoints.update(principal.accountId, id, { secret: generateSecret(), updated_at: nowIso() });
      if (!updated) throw notFound('webhook');
      return presentWebhookWithSecret(updated);
    },

    async listDeliveries(principal: Principal, id: string, query: { status?: DeliveryStatus; cursor?: string; limit?: number }) {
      await load(principal, id);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await deliveries.list(principal.accountId, id, { status: query.status }, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentDelivery);
    },

    /**
     * Queues a delivery again, due now, whatever its status (a delivered one is sent again). It keeps
     * its attempt count: a delivery that used all its attempts gets one more.
     */
    async retryDelivery(principal: Principal, id: string, deliveryId: string): Promise<DeliveryView> {
      const endpoint = await load(principal, id);
      const existing = await deliveries.findById(principal.accountId, id, deliveryId);
      if (!existing) throw notFound('delivery');
      if (endpoint.active !== 1) throw unprocessable('Webhook is inactive', { webhook: ['is inactive; re-enable it first'] });
      const row = await deliveries.requeue(principal.accountId, id, deliveryId, nowIso());
      if (!row) throw conflict('The delivery is being sent right now; retry once it has finished');
      return presentDelivery(row);
    },

    /** Appends a `webhook.test` event whose only delivery goes to this endpoint; returns it. */
    async sendTest(principal: Principal, id: string): Promise<DeliveryView> {
      const endpoint = await load(principal, id);
      if (endpoint.active !== 1) throw unprocessable('Webhook is inactive', { webhook: ['is inactive; re-enable it first'] });
      const written = await eventLog.transaction(principal.accountId, async (trx, emit) => {
        emit('webhook.test', { webhook: presentWebhook(endpoint), message: 'A test event from Parley' });
        return trx;
      });
      const [delivery] = outbox.directedIn(written);
      // Only when the endpoint was deactivated or deleted between the check and the commit.
      if (!delivery) throw conflict('The webhook changed while the test was being sent; try again');
      return presentDelivery(delivery);
    },
  };
}

export type WebhooksUseCases = ReturnType<typeof createWebhooksUseCases>;
