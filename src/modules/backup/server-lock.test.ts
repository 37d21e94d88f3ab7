import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdDataDir, processesUsing, STALE_AFTER_MS } from './server-lock.js';

describe('which processes use a data directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-lock-'));
  const run = path.join(dir, 'run');
  afterEach(() => fs.rmSync(run, { recursive: true, force: true }));
  const write = (name: string, entry: object, ageMs = 0) => {
    fs.mkdirSync(run, { recursive: true });
    const file = path.join(run, name);
    fs.writeFileSync(file, JSON.stringify(entry));
    const at = new Date(Date.now() - ageMs);
    fs.utimesSync(file, at, at);
    return file;
  };

  it('sees a live process of this host, and forgets one whose pid is gone', () => {
    // The parent of this test process: alive, and not this process.
    write(`${os.hostname()}-${process.ppid}.pid`, { pid: process.ppid, kind: 'server', host: os.hostname(), started_at: 'x' });
    const dead = write(`${os.hostname()}-2147483646.pid`, { pid: 2147483646, kind: 'server', host: os.hostname(), started_at: 'x' });
    expect(processesUsing(dir).map((p) => p.pid)).toEqual([process.ppid]);
    expect(fs.existsSync(dead)).toBe(false);
  });

  it("trusts another host's file while it is kept fresh, and forgets it once it is not", () => {
    write('elsewhere-1.pid', { pid: 1, kind: 'server', host: 'elsewhere', started_at: 'x' });
    expect(processesUsing(dir)).toHaveLength(1);
    const old = write('elsewhere-1.pid', { pid: 1, kind: 'server', host: 'elsewhere', started_at: 'x' }, STALE_AFTER_MS + 5_000);
    expect(processesUsing(dir)).toEqual([]);
    expect(fs.existsSync(old)).toBe(false);
  });

  it("is not fooled by its own file, and removes it on release", () => {
    const hold = holdDataDir(dir, 'restore');
    expect(fs.readdirSync(run)).toEqual([`${os.hostname()}-${process.pid}.pid`]);
    expect(processesUsing(dir)).toEqual([]);
    hold.release();
    expect(fs.readdirSync(run)).toEqual([]);
  });
});
