/** A background job run every `intervalMs`; `run` returns how much it did (logged when not 0). */
export interface Task {
  name: string;
  intervalMs: number;
  run(now?: Date): Promise<number>;
  /**
   * Optional: lets the task ask for a run before its next tick (e.g. after every commit to the
   * event log). A request made during a run is kept, and the task runs again once that run ends.
   * Returns an unsubscribe, called when the tasks stop.
   */
  wake?(runSoon: () => void): () => void;
  /**
   * Optional: a woken run starts this many milliseconds after the first wake-up, and every
   * wake-up until then joins it. Under load (hundreds of commits a second) one run then handles
   * the events of many requests instead of a run, with its reads and its checkpoint write, per
   * request; when idle, the run is this much later than it could have been.
   */
  wakeDelayMs?: number;
  /**
   * Optional: ends what the task keeps going between runs (connections it holds open, leases),
   * called when the tasks stop, once no run of it is in progress.
   */
  stop?(): Promise<void>;
}

/** The wakeDelayMs of tasks woken by event-log commits: commits within 10 ms share one run. */
export const COMMIT_WAKE_DELAY_MS = 10;

/** The part of pino (Fastify's logger) the runner uses. */
export interface TaskLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RunningTasks {
  /** Stops scheduling and waits for any run in progress, so storage can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Runs each task once at start and then every `intervalMs`. A run never overlaps the previous run
 * of the same task (a slow run skips ticks instead of piling up), failures are logged and the next
 * tick tries again, and the timers are unref'd so they never keep the process alive.
 */
export function startTasks(tasks: Task[], logger: TaskLogger): RunningTasks {
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  const unsubscribes: Array<() => void> = [];
  /** Tasks woken during a run: they run again as soon as it ends. */
  const rerun = new Set<string>();
  /** Woken tasks waiting out their wakeDelayMs. */
  const delayed = new Map<string, NodeJS.Timeout>();

  const tick = (task: Task, woken = false) => {
    if (stopped) return;
    if (running.has(task.name)) {
      if (woken) rerun.add(task.name);
      return;
    }
    const started = Date.now();
    // Through a promise, so even a synchronous throw is logged rather than crashing the timer.
    const run = Promise.resolve()
      .then(() => task.run())
      .then(
        (count) => {
          if (count > 0) logger.info({ task: task.name, count, ms: Date.now() - started }, 'task done');
        },
        (err: unknown) => logger.error({ task: task.name, err }, 'task failed'),
      )
      .finally(() => {
        running.delete(task.name);
        if (rerun.delete(task.name)) tick(task);
      });
    running.set(task.name, run);
  };

  const wake = (task: Task) => {
    if (!task.wakeDelayMs) return tick(task, true);
    if (stopped || delayed.has(task.name)) return;
    const timer = setTimeout(() => {
      delayed.delete(task.name);
      tick(task, true);
    }, task.wakeDelayMs);
    timer.unref();
    delayed.set(task.name, timer);
  };

  for (const task of tasks) {
    const first = setTimeout(() => tick(task), 0);
    const every = setInterval(() => tick(task), task.intervalMs);
    first.unref();
    every.unref();
    timers.push(first, every);
    if (task.wake) unsubscribes.push(task.wake(() => wake(task)));
  }

  return {
    async stop() {
      stopped = true;
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      for (const timer of delayed.values()) clearTimeout(timer);
      delayed.clear();
      await Promise.all(running.values());
      await Promise.all(
        tasks.map((task) => Promise.resolve().then(() => task.stop?.()).catch((err: unknown) => logger.error({ task: task.name, err }, 'task failed to stop'))),
      );
    },
  };
}
