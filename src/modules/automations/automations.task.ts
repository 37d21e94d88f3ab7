import type { EventLog } from '../events/events.log.js';
import { COMMIT_WAKE_DELAY_MS, type Task } from '../../shared/tasks/tasks.js';
import type { AutomationsConsumer } from './automations.consumer.js';

/**
 * The automations consumer as a background task: every second, and right after every commit that
 * appended events (in this process, or in another one through LISTEN/NOTIFY on PostgreSQL).
 */
export function createAutomationsTask({
  consumer,
  eventLog,
  intervalMs = 1000,
}: {
  consumer: AutomationsConsumer;
  eventLog: EventLog;
  intervalMs?: number;
}): Task {
  return {
    name: 'automations',
    intervalMs,
    run: () => consumer.run(),
    wake: (runSoon) => eventLog.subscribeAll(() => runSoon()),
    wakeDelayMs: COMMIT_WAKE_DELAY_MS,
  };
}
