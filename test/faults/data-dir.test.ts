import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../serve-process.js';
import { call, isErrorEnvelope, sleep, tempDir } from './support.js';

/** A data directory Parley cannot use: read-only or full, at start and at run time. */

const BIN = path.resolve('bin/parley.js');

/** Runs `parley serve` expecting it to give up: its exit code and what it printed. */
function serveExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - started });
    });
  });
}

describe('a data directory that cannot be used at start', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('exits 1 with one clear line when the directory cannot be created (under /proc)', async () => {
    const r = await serveExpectingFailure({ PARLEY_DATA_DIR: '/proc/parley-fault-test/data' });
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/^parley: cannot create the data directory \/proc\/parley-fault-test\/data \(PARLEY_DATA_DIR\): .+/);
  });

  it('exits 1 with one clear line when a file stands where the directory should be', async () => {
    const dir = tempDir('parley-faults-file-');
    dirs.push(dir);
    const file = path.join(dir, 'data');
    fs.writeFileSync(file, 'not a directory');
    const r = await serveExpectingFailure({ PARLEY_DATA_DIR: file });
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out.trim()).toBe(`parley: the data directory ${file} (PARLEY_DATA_DIR) is not a directory`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
  });
});

/** Mounts a small tmpfs for the test (we run as root); null with the reason when that is not allowed. */
function mountTmpfs(dir: string, size: string): string | null {
  if (process.platform !== 'linux') return 'tmpfs needs Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs is not permitted here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`;
  }
}

/** Fills the file system holding `dir` until the kernel says ENOSPC; returns the filler's path. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('a full disk at run time', () => {
  const root = tempDir('parley-faults-full-');
  const mnt = path.join(root, 'mnt');
  fs.mkdirSync(mnt);
  let notMounted: string | null = 'not tried';
  let server: ServeProcess | null = null;

  beforeAll(() => {
    notMounted = mountTmpfs(mnt, '24m');
    if (notMounted) console.warn(`data-dir: full-disk test skipped: ${notMounted}`);
  });
  afterAll(async () => {
    await server?.kill();
    if (!notMounted) execFileSync('umount', ['-l', mnt]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('exits 1 with one clear line when the disk is full at start', async (ctx) => {
    if (notMounted) ctx.skip();
    const filler = fillDisk(mnt);
    try {
      const r = await serveExpectingFailure({ PARLEY_DATA_DIR: path.join(mnt, 'fresh') });
      expect(r.code).toBe(1);
      expect(r.out.trim().split('\n')).toHaveLength(1);
      expect(r.out).toMatch(/^parley: .*(disk is full|no space left)/i);
    } finally {
      fs.rmSync(filler);
      fs.rmSync(path.join(mnt, 'fresh'), { recursive: true, force: true });
    }
  });

  it('exits 1 with one clear line on a read-only file system', async (ctx) => {
    if (notMounted) ctx.skip();
    const ro = path.join(root, 'ro');
    fs.mkdirSync(ro);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro], { stdio: 'pipe' });
    try {
      const r = await serveExpectingFailure({ PARLEY_DATA_DIR: ro });
      expect(r.code).toBe(1);
      expect(r.out.trim()).toBe(`parley: the data directory ${ro} (PARLEY_DATA_DIR) is not writable: read-only file system (EROFS)`);
    } finally {
      execFileSync('umount', ['-l', ro]);
    }
  });

  it('answers 503 to writes, keeps serving reads, and recovers with no corruption once space is freed', async (ctx) => {
    if (notMounted) ctx.skip();
    const dataDir = path.join(mnt, 'data');
    server = await startServe({ PARLEY_DATA_DIR: dataDir, PARLEY_RATE_LIMIT_PER_KEY: '0', PARLEY_RATE_LIMIT_PER_IP: '0' });
    const base = server.url;
    const key = server.apiKey!;

    const created: number[] = [];
    const createContact = async (i: number) => {
      const r = await call(base, 'POST', '/api/v1/contacts', {
        key,
        // Bulky, so the disk fills within a few requests of the filler leaving no room.
        body: { email: `full-${i}@example.com`, name: `Full ${i}`, metadata: { notes: 'x'.repeat(12_000) } },
      });
      if (r.status === 201) created.push((r.body as { data: { id: number } }).data.id);
      return r;
    };
    for (let i = 0; i < 5; i++) expect((await createContact(i)).status).toBe(201);
    const readId = created[0];

    const filler = fillDisk(mnt);
    // Writes until SQLite reports the disk full; the WAL may still have room for a few.
    const answers: Array<{ status: number; body: unknown }> = [];
    let i = 100;
    while (!answers.some((a) => a.status === 503) && i < 600) answers.push(await createContact(i++));
    for (let k = 0; k < 5; k++) answers.push(await createContact(i++));
    const unexpected = answers.filter((a) => a.status !== 201 && !(a.status === 503 && isErrorEnvelope(a.body)));
    expect(unexpected.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    const full = answers.filter((a) => a.status === 503);
    expect(full.length).toBeGreaterThan(0);
    expect((full[0].body as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');

    // Reads still work on a full disk.
    const one = await call(base, 'GET', `/api/v1/contacts/${readId}`, { key });
    expect(one.status).toBe(200);
    const list = await call(base, 'GET', '/api/v1/contacts?limit=5', { key });
    expect(list.status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/agents', { key })).status).toBe(200);

    // Space freed: writes work again, without a restart.
    fs.rmSync(filler);
    let recovered = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && recovered === 0; ) {
      const r = await createContact(i++);
      if (r.status === 201) recovered++;
      else {
        expect(r.status).toBe(503);
        await sleep(100);
      }
    }
    expect(recovered).toBe(1);
    for (const id of created) expect((await call(base, 'GET', `/api/v1/contacts/${id}`, { key })).status).toBe(200);

    expect(await server.stop()).toBe(0);
    server = null;
    const file = new SqliteDatabase(path.join(dataDir, 'parley.db'));
    try {
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(file.pragma('foreign_key_check')).toEqual([]);
      expect((file.prepare('select count(*) as n from contacts').get() as { n: number }).n).toBe(created.length);
    } finally {
      file.close();
    }
  });
});
