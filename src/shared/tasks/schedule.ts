import type { Executor } from '../db/database.js';

/**
 * A task that must run once for every process on one database (retention): `task_schedules` holds
 * when it is next due and the lease of the process running it (migration 0024). Every process
 * ticks; the one whose conditional UPDATE claims the due row runs, the others find it not due or
 * held. A process that dies holding the lease is overtaken once the lease runs out; a long run
 * renews it as it goes, and stops if another process has taken it over meanwhile.
 */
export function createTaskSchedule({ db, name, holder }: { db: Executor; name: string; holder: string }) {
  return {
    /** Claims the run due at `now` until `leaseUntil`; false when not due yet or another process holds it. */
    async claim(now: string, leaseUntil: string): Promise<boolean> {
      await db
        .insertInto('task_schedules')
        .values({ name, next_run_at: now, locked_by: null, locked_until: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const res = await db
        .updateTable('task_schedules')
        .set({ locked_by: holder, locked_until: leaseUntil })
        .where('name', '=', name)
        .where('next_run_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** Extends this process's lease; false when it has lost it (another process took the run over). */
    async renew(leaseUntil: string): Promise<boolean> {
      const res = await db
        .updateTable('task_schedules')
        .set({ locked_until: leaseUntil })
        .where('name', '=', name)
        .where('locked_by', '=', holder)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** Ends this process's run: the next is due at `nextRunAt`, for whichever process claims it. */
    async finish(nextRunAt: string): Promise<void> {
      await db
        .updateTable('task_schedules')
        .set({ next_run_at: nextRunAt, locked_by: null, locked_until: null })
        .where('name', '=', name)
        .where('locked_by', '=', holder)
        .execute();
    },

    /** Gives the lease back without moving the next run (a failed run is retried at the next tick). */
    async release(): Promise<void> {
      await db
        .updateTable('task_schedules')
        .set({ locked_by: null, locked_until: null })
        .where('name', '=', name)
        .where('locked_by', '=', holder)
        .execute();
    },
  };
}

export type TaskSchedule = ReturnType<typeof createTaskSchedule>;
