import { randomUUID } from 'node:crypto';
import type { Executor } from '../../shared/db/database.js';
import { createTaskSchedule } from '../../shared/tasks/schedule.js';
import type { Task } from '../../shared/tasks/tasks.js';
import { RetentionStopped, type Retention } from './retention.js';

export interface RetentionTaskOptions {
  retention: Retention;
  db: Executor;
  /** How often each process looks whether a run is due (default a minute). */
  intervalMs?: number;
  /** Time from the end of one run to the next, across every process (default an hour). */
  everyMs?: number;
  /** How long a run's claim lasts without renewal: a process that dies is overtaken after this. */
  leaseMs?: number;
}

/**
 * Runs retention (retention.ts) once an hour for every process on the database: each process
 * ticks, and only the one that claims the due run in `task_schedules` prunes; it renews its lease
 * between batches and stops if it lost it.
 */
export function createRetentionTask({ retention, db, intervalMs = 60_000, everyMs = 3_600_000, leaseMs = 5 * 60_000 }: RetentionTaskOptions): Task {
  const schedule = createTaskSchedule({ db, name: 'retention', holder: randomUUID() });
  return {
    name: 'retention',
    intervalMs,
    /** Returns how many rows it deleted (0 when another process has the run, or none is due). */
    async run(now: Date = new Date()): Promise<number> {
      const offset = now.getTime() - Date.now();
      const clock = () => Date.now() + offset;
      const iso = (ms: number) => new Date(ms).toISOString();
      if (!(await schedule.claim(now.toISOString(), iso(clock() + leaseMs)))) return 0;
      let renewedAt = clock();
      const keepGoing = async () => {
        if (clock() - renewedAt < leaseMs / 5) return true;
        renewedAt = clock();
        return schedule.renew(iso(renewedAt + leaseMs));
      };
      try {
        const pruned = await retention.pruneAll(now, keepGoing);
        await schedule.finish(iso(clock() + everyMs));
        return pruned;
      } catch (err) {
        if (err instanceof RetentionStopped) return 0;
        await schedule.release();
        throw err;
      }
    },
  };
}
