import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDirectories } from '../../shared/db/database.js';

/**
 * Which processes use a data directory (PARLEY_DATA_DIR): each `parley serve`, and a restore while
 * it runs, keeps a file `run/<host>-<pid>.pid` there, `{pid, kind, host, started_at}`, and touches it every
 * few seconds. Several servers may share one directory (one SQLite file, or attachments beside
 * PostgreSQL), so there is a file per process rather than one lock. A file is stale, and removed
 * when found, when its process is gone (same host: the pid is not running) or when it has not
 * been touched for a minute (a server of another host or container, whose pids cannot be seen
 * from here, or a pid since reused by another program).
 */
export type ProcessKind = 'server' | 'restore';

export interface DataDirProcess {
  pid: number;
  kind: ProcessKind;
  /** os.hostname() of the process: a container's own name in Docker. */
  host?: string;
  started_at: string;
  file: string;
}

/** How often a process touches its file, and after how long without it the file is stale. */
const TOUCH_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

const runDir = (dataDir: string) => path.join(dataDir, 'run');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The other live processes using the directory; stale files are removed on the way. */
export function processesUsing(dataDir: string): DataDirProcess[] {
  let names: string[];
  try {
    names = fs.readdirSync(runDir(dataDir));
  } catch {
    return [];
  }
  const found: DataDirProcess[] = [];
  for (const name of names) {
    if (!name.endsWith('.pid')) continue;
    const file = path.join(runDir(dataDir), name);
    let entry: Omit<DataDirProcess, 'file'> | null = null;
    try {
      entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<DataDirProcess, 'file'>;
    } catch {
      // Half written, or removed meanwhile: the name still says which pid.
      const pid = Number(/(\d+)\.pid$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid > 0) entry = { pid, kind: 'server', started_at: '' };
    }
    if (!entry || (entry.pid === process.pid && (entry.host ?? os.hostname()) === os.hostname())) continue;
    let touched = 0;
    try {
      touched = fs.statSync(file).mtimeMs;
    } catch {
      continue;
    }
    const sameHost = (entry.host ?? os.hostname()) === os.hostname();
    if ((sameHost && !alive(entry.pid)) || Date.now() - touched > STALE_AFTER_MS) {
      fs.rmSync(file, { force: true });
      continue;
    }
    found.push({ ...entry, file });
  }
  return found;
}

/** Marks the directory as used by this process until `release()` (also removed at exit). */
export function holdDataDir(dataDir: string, kind: ProcessKind): { release(): void } {
  makeDirectories(path.resolve(runDir(dataDir)));
  // The host too: containers sharing a volume may each run as pid 1.
  const file = path.join(runDir(dataDir), `${os.hostname()}-${process.pid}.pid`);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, kind, host: os.hostname(), started_at: new Date().toISOString() }));
  const touch = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // Removed by hand, or the directory is gone: nothing to keep fresh.
    }
  }, TOUCH_MS);
  touch.unref();
  const release = () => {
    clearInterval(touch);
    process.off('exit', release);
    fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}

/** "a server (pid 4242, since …, run/4242.pid)", for refusals. */
export function describeProcess(p: DataDirProcess): string {
  const since = p.started_at ? `, since ${p.started_at}` : '';
  const where = p.host && p.host !== os.hostname() ? ` on ${p.host}` : '';
  return `a ${p.kind === 'restore' ? 'restore' : 'server'} (pid ${p.pid}${where}${since}; ${p.file})`;
}
