import type { Services } from './services.js';
import type { Task } from './shared/tasks/tasks.js';
import { createIdleEndingTask } from './modules/accounts/idle-ending.task.js';

/** Every background task, registered explicitly, in one list. */
export function createTasks(services: Services): Task[] {
  return [createIdleEndingTask({ database: services.database })];
}
