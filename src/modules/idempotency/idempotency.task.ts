import type { Task } from '../../shared/tasks/tasks.js';
import type { IdempotencyGate } from './idempotency.usecases.js';

/** Forgets Idempotency-Keys older than 24 hours; a key found expired before this runs is freed on use anyway. */
export function createIdempotencyPurgeTask({ gate, intervalMs = 10 * 60_000 }: { gate: IdempotencyGate; intervalMs?: number }): Task {
  return {
    name: 'idempotency-purge',
    intervalMs,
    run: (now?: Date) => gate.purgeExpired(now),
  };
}
