import type { Database } from '../../shared/db/database.js';
import type { EventLog } from '../events/events.log.js';
import { createWebhookDeliveriesRepository, type DeliveryRow } from './webhooks.deliveries.repository.js';
import { presentWebhook } from './webhooks.presenters.js';
import { createWebhookEndpointsRepository, type EndpointRow } from './webhooks.repository.js';
import { sendWebhook, type SendResult } from './webhooks.sender.js';
import { signatureHeader } from './webhooks.signing.js';
import { runClaimed } from '../../shared/tasks/claimed-work.js';

/** Attempts per delivery, the first included; after the last failure the delivery is `failed`. */
export const MAX_ATTEMPTS = 8;
/** An endpoint whose every delivery has failed for this long is deactivated. */
export const DEACTIVATE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
/** No wait between attempts grows past a day, whatever the configured base. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

export interface WebhookWorkerOptions {
  database: Database;
  eventLog: EventLog;
  /** The first retry waits about this long; each further one twice as long. */
  retryBaseMs: number;
  allowPrivate: boolean;
  /** A 2xx must arrive within this time. */
  timeoutMs?: number;
  /** Deliveries in flight at once, per process. */
  concurrency?: number;
  /**
   * A run stops claiming after this long and finishes what it holds, so stopping the server never
   * waits on an endless run; the next tick (or wake-up) carries on.
   */
  runBudgetMs?: number;
}

/**
 * The wait before attempt `attempts + 1`: exponential with equal jitter — half the step fixed,
 * half random — so retries of many deliveries spread out instead of arriving together.
 */
export function retryDelayMs(retryBaseMs: number, attempts: number, random: () => number = Math.random): number {
  const step = Math.min(retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(step / 2 + random() * (step / 2));
}

/** The body a receiver gets: the event in presentEvent's field order, on both dialects. */
function bodyOf(payload: string): string {
  const e = JSON.parse(payload) as { id: number; type: string; created_at: string; data: unknown };
  return JSON.stringify({ id: e.id, type: e.type, created_at: e.created_at, data: e.data });
}

/**
 * Sends due webhook deliveries. Safe in several processes at once: each delivery is claimed by one
 * of them with a lease (a crashed worker's claims come back when the lease runs out), and outcomes
 * are written only by the claim's holder. `run(now)` takes the clock so tests can move time.
 */
export function createWebhookWorker({
  database,
  eventLog,
  retryBaseMs,
  allowPrivate,
  timeoutMs = 10_000,
  concurrency = 16,
  runBudgetMs = 5_000,
}: WebhookWorkerOptions) {
  const endpoints = createWebhookEndpointsRepository({ db: database.db });
  const deliveries = createWebhookDeliveriesRepository({ db: database.db, dialect: database.dialect });
  // Long enough for a whole attempt and the write of its outcome.
  const leaseMs = timeoutMs + 10_000;

  async function deactivateIfFailingTooLong(endpoint: EndpointRow, at: Date): Promise<void> {
    const cutoff = new Date(at.getTime() - DEACTIVATE_AFTER_MS).toISOString();
    await eventLog.transaction(endpoint.account_id, async (trx, emit) => {
      const row = await endpoints.deactivateIfFailingSince(endpoint.account_id, endpoint.id, cutoff, at.toISOString(), trx);
      if (row) {
        emit('webhook.deactivated', {
          webhook: presentWebhook(row),
          reason: 'Every delivery failed for 3 days',
          failing_since: row.failing_since,
        });
      }
    });
  }

  async function recordFailure(d: DeliveryRow, result: SendResult, at: Date): Promise<void> {
    const final = d.attempts >= MAX_ATTEMPTS;
    const held = await deliveries.finish(d, {
      status: final ? 'failed' : 'pending',
      last_status_code: result.statusCode,
      last_error: result.error,
      last_duration_ms: result.durationMs,
      next_attempt_at: final ? null : new Date(at.getTime() + retryDelayMs(retryBaseMs, d.attempts)).toISOString(),
      delivered_at: null,
      updated_at: at.toISOString(),
    });
    if (!held) return;
    const endpoint = await endpoints.markFailing(d.account_id, d.endpoint_id, at.toISOString());
    if (endpoint?.active === 1 && endpoint.failing_since && at.getTime() - Date.parse(endpoint.failing_since) >= DEACTIVATE_AFTER_MS) {
      await deactivateIfFailingTooLong(endpoint, at);
    }
  }

  async function attempt(d: DeliveryRow, clock: () => Date): Promise<void> {
    const endpoint = await endpoints.findById(d.account_id, d.endpoint_id);
    if (!endpoint) return; // deleted meanwhile: its deliveries went with it
    if (endpoint.active !== 1) {
      // Not an attempt: nothing was sent. A manual retry after re-enabling sends it.
      await deliveries.finish(d, {
        status: 'failed',
        attempts: d.attempts - 1,
        last_status_code: d.last_status_code,
        last_error: 'webhook endpoint is inactive',
        last_duration_ms: d.last_duration_ms,
        next_attempt_at: null,
        delivered_at: null,
        updated_at: clock().toISOString(),
      });
      return;
    }
    const body = bodyOf(d.payload);
    // Signed with the wall clock, whatever clock the run was given: receivers check it against theirs.
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await sendWebhook({
      url: endpoint.url,
      body,
      timeoutMs,
      allowPrivate,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Parley-Webhooks/1',
        'parley-event-id': String(d.event_id),
        'parley-event-type': d.event_type,
        'parley-delivery-id': d.id,
        'parley-signature': signatureHeader(endpoint.secret, timestamp, body),
      },
    });
    const at = clock();
    if (!result.ok) return recordFailure(d, result, at);
    const held = await deliveries.finish(d, {
      status: 'delivered',
      last_status_code: result.statusCode,
      last_error: null,
      last_duration_ms: result.durationMs,
      next_attempt_at: null,
      delivered_at: at.toISOString(),
      updated_at: at.toISOString(),
    });
    if (held) await endpoints.clearFailing(d.account_id, d.endpoint_id);
  }

  return {
    /** Sends every due delivery, `concurrency` at a time; resolves to how many attempts it made. */
    run(now?: Date): Promise<number> {
      // A failed write leaves the delivery claimed; it is retried when the lease runs out.
      return runClaimed({ now, concurrency, runBudgetMs, leaseMs, claim: deliveries.claimDue, attempt });
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
