import type { Services } from './services.js';
import type { Task } from './shared/tasks/tasks.js';
import { createIdleEndingTask } from './modules/accounts/idle-ending.task.js';

/** Every background task, registered explicitly, in one list. */
export function createTasks(services: Services): Task[] {
  return [
    createIdleEndingTask({
      database: services.database,
      eventLog: services.eventLog,
      presentConversation: (accountId, id, trx) => services.conversations.presentStored(accountId, id, trx),
    }),
    {
      name: 'async-replies',
      intervalMs: 1000,
      run: () => services.replies.processPending(),
    },
  ];
}
