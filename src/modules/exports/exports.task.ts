import type { Task } from '../../shared/tasks/tasks.js';
import type { ExportsWorker } from './exports.worker.js';

/**
 * Writes queued exports (every process runs it; a lease keeps each export to one worker, and a
 * worker that dies is overtaken when its lease runs out) and deletes expired files. Every second:
 * an export asked for starts within about a second, and a run that finds nothing reads two indexes.
 */
export function createExportsTask({ worker, intervalMs = 1000 }: { worker: Pick<ExportsWorker, 'run'>; intervalMs?: number }): Task {
  return {
    name: 'exports',
    intervalMs,
    run: (now?: Date) => worker.run(now),
  };
}
