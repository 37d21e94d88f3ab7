import fs from 'node:fs';
import path from 'node:path';

/**
 * Which processes use a data directory (PARLEY_DATA_DIR): each `parley serve`, and a restore while
 * it runs, keeps a file `run/<pid>.pid` there, `{pid, kind, started_at}`. Several servers may share
 * one directory (one SQLite file, or attachments beside PostgreSQL), so there is a file per process
 * rather than one lock. A file whose process is gone (killed, crashed) is stale: it is removed
 * when found. A pid reused by an unrelated process reads as a live server: the refusal names the
 * pid and the file, so that a person can check and delete it.
 */
export type ProcessKind = 'server' | 'restore';

export interface DataDirProcess {
  pid: number;
  kind: ProcessKind;
  started_at: string;
  file: string;
}

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
      const pid = Number(name.slice(0, -'.pid'.length));
      if (Number.isInteger(pid) && pid > 0) entry = { pid, kind: 'server', started_at: '' };
    }
    if (!entry || entry.pid === process.pid) continue;
    if (!alive(entry.pid)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    found.push({ ...entry, file });
  }
  return found;
}

/** Marks the directory as used by this process until `release()` (also removed at exit). */
export function holdDataDir(dataDir: string, kind: ProcessKind): { release(): void } {
  fs.mkdirSync(runDir(dataDir), { recursive: true });
  const file = path.join(runDir(dataDir), `${process.pid}.pid`);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, kind, started_at: new Date().toISOString() }));
  const release = () => {
    process.off('exit', release);
    fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}

/** "a server (pid 4242, since …, run/4242.pid)", for refusals. */
export function describeProcess(p: DataDirProcess): string {
  const since = p.started_at ? `, since ${p.started_at}` : '';
  return `a ${p.kind === 'restore' ? 'restore' : 'server'} (pid ${p.pid}${since}; ${p.file})`;
}
