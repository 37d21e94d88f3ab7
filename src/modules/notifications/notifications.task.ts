import type { EventLog } from '../events/events.log.js';
import { COMMIT_WAKE_DELAY_MS, type Task } from '../../shared/tasks/tasks.js';
import type { NotificationsConsumer } from './notifications.consumer.js';

/**
 * The notifications consumer as a background task: right after every commit that appended events
 * (in this process, or another one through LISTEN/NOTIFY on PostgreSQL), and every few seconds in
 * case a run failed.
 */
export function createNotificationsTask({ consumer, eventLog, intervalMs = 5000 }: { consumer: NotificationsConsumer; eventLog: EventLog; intervalMs?: number }): Task {
  return {
    name: 'notifications',
    intervalMs,
    run: () => consumer.run(),
    wake: (runSoon) => eventLog.subscribeAll(() => runSoon()),
    wakeDelayMs: COMMIT_WAKE_DELAY_MS,
  };
}
