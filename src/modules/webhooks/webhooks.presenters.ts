import { parseJsonArray } from '../../shared/json/json.js';
import type { DeliveryRow } from './webhooks.deliveries.repository.js';
import type { EndpointRow } from './webhooks.repository.js';

/** The endpoint as the API shows it; the signing secret never leaves through here. */
export function presentWebhook(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: parseJsonArray<string>(row.events),
    description: row.description,
    active: row.active === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    deactivated_at: row.deactivated_at,
  };
}

export type WebhookView = ReturnType<typeof presentWebhook>;

/** Creation and rotation only: the endpoint with its signing secret. */
export function presentWebhookWithSecret(row: EndpointRow) {
  return { ...presentWebhook(row), secret: row.secret };
}

/** A delivery as the API shows it; the payload is the event, listed at /events. */
export function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    last_duration_ms: row.last_duration_ms,
    next_attempt_at: row.next_attempt_at,
    delivered_at: row.delivered_at,
    created_at: row.created_at,
  };
}

export type DeliveryView = ReturnType<typeof presentDelivery>;
