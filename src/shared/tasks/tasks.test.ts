import { describe, expect, it, vi } from 'vitest';
import { startTasks, type Task, type TaskLogger } from './tasks.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingLogger() {
  const errors: Array<{ obj: object; msg: string }> = [];
  const infos: Array<{ obj: object; msg: string }> = [];
  const logger: TaskLogger = {
    info: (obj, msg) => infos.push({ obj, msg }),
    error: (obj, msg) => errors.push({ obj, msg }),
  };
  return { logger, errors, infos };
}

/** A task woken through `hook.wake` (null once the runner has unsubscribed). */
function wakeable(task: Omit<Task, 'wake'>) {
  const hook: { wake: (() => void) | null } = { wake: null };
  const woken: Task = {
    ...task,
    wake(runSoon) {
      hook.wake = runSoon;
      return () => {
        hook.wake = null;
      };
    },
  };
  return { task: woken, hook };
}

describe('the background task runner', () => {
  it('runs a task at start and then on its interval', async () => {
    let runs = 0;
    const task: Task = { name: 'count', intervalMs: 10, run: async () => ++runs };
    const { logger, infos } = recordingLogger();
    const running = startTasks([task], logger);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 2000, interval: 5 });
    await running.stop();
    expect(infos[0].obj).toMatchObject({ task: 'count' });
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });

  it('never starts a run of a task while the previous one is still going', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const slow: Task = {
      name: 'slow',
      intervalMs: 5,
      async run() {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        active--;
        return 0;
      },
    };
    const running = startTasks([slow], recordingLogger().logger);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 2000, interval: 5 });
    await running.stop();
    expect(maxActive).toBe(1);
  });

  it('logs a failing run and tries again on the next tick', async () => {
    let runs = 0;
    const flaky: Task = {
      name: 'flaky',
      intervalMs: 10,
      async run() {
        runs++;
        if (runs === 1) throw new Error('database went away');
        return 0;
      },
    };
    const { logger, errors } = recordingLogger();
    const running = startTasks([flaky], logger);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(2), { timeout: 2000, interval: 5 });
    await running.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0].obj).toMatchObject({ task: 'flaky' });
  });

  it('waits for a run in progress when stopped, so storage can close after it', async () => {
    let finished = false;
    const task: Task = {
      name: 'long',
      intervalMs: 1000,
      async run() {
        await sleep(50);
        finished = true;
        return 0;
      },
    };
    const running = startTasks([task], recordingLogger().logger);
    await sleep(10);
    expect(finished).toBe(false);
    await running.stop();
    expect(finished).toBe(true);
  });

  it('stops what a task keeps going between runs after its run in progress, even when another task fails to stop', async () => {
    const order: string[] = [];
    const holder: Task = {
      name: 'holder',
      intervalMs: 1000,
      async run() {
        await sleep(30);
        order.push('run done');
        return 0;
      },
      async stop() {
        order.push('stopped');
      },
    };
    const broken: Task = { name: 'broken', intervalMs: 1000, run: async () => 0, stop: () => Promise.reject(new Error('no')) };
    const { logger, errors } = recordingLogger();
    const running = startTasks([holder, broken], logger);
    await sleep(10);
    await running.stop();
    expect(order).toEqual(['run done', 'stopped']);
    expect(errors).toEqual([expect.objectContaining({ msg: 'task failed to stop', obj: expect.objectContaining({ task: 'broken' }) })]);
  });

  it('runs a woken task before its next tick, once more after a run woken mid-way, and stops listening when stopped', async () => {
    let runs = 0;
    const { task, hook } = wakeable({
      name: 'woken',
      intervalMs: 3_600_000,
      async run() {
        runs++;
        await sleep(100);
        return 0;
      },
    });
    const running = startTasks([task], recordingLogger().logger);
    await vi.waitFor(() => expect(runs).toBe(1), { timeout: 2000, interval: 5 });
    // Two wake-ups during one run coalesce into a single run after it.
    hook.wake?.();
    hook.wake?.();
    await vi.waitFor(() => expect(runs).toBe(2), { timeout: 2000, interval: 5 });
    await sleep(250);
    expect(runs).toBe(2);
    await running.stop();
    expect(hook.wake).toBeNull();
  });

  it('with wakeDelayMs, gathers the wake-ups of that window into one run, started that much later', async () => {
    const starts: number[] = [];
    const { task, hook } = wakeable({
      name: 'gathered',
      intervalMs: 3_600_000,
      wakeDelayMs: 50,
      async run() {
        starts.push(Date.now());
        return 0;
      },
    });
    const running = startTasks([task], recordingLogger().logger);
    await vi.waitFor(() => expect(starts).toHaveLength(1), { timeout: 2000, interval: 5 });
    await sleep(20);
    const woken = Date.now();
    for (let i = 0; i < 20; i++) hook.wake?.();
    await vi.waitFor(() => expect(starts).toHaveLength(2), { timeout: 2000, interval: 5 });
    expect(starts[1] - woken).toBeGreaterThanOrEqual(45);
    await sleep(150);
    expect(starts).toHaveLength(2);
    // A wake-up still waiting when the tasks stop never runs.
    hook.wake?.();
    await running.stop();
    await sleep(100);
    expect(starts).toHaveLength(2);
  });
});
