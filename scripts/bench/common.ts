// What the benchmark's parts share: small statistics, /proc readings, HTTP helpers and starting
// the compiled Parley as its own process (main.ts and widget.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { createDatabase, type Database, type DialectName } from '../../src/shared/db/database.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const here = path.join(root, 'scripts', 'bench');
/** Progress goes to stderr: with --json, stdout carries the report alone. */
export const log = (msg: string) => process.stderr.write(`${msg}\n`);

// --- helpers ------------------------------------------------------------------------------------
/** The benchmark scripts' command line, after the script's name. */
export const argv = process.argv.slice(2);
/** The value of `--name V` or `--name=V`, or undefined. */
export function opt(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
};
export const round = (x: number, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** CPU time (user + system) a process has used, in ms. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ = 100
}

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The highest `ulimit -n` we may set (root can raise the hard limit). */
function fdLimit(): number {
  const r = spawnSync('bash', ['-c', 'ulimit -n 65536 2>/dev/null && ulimit -n || ulimit -Hn'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) && n > 0 ? n : 1024;
}
export const FD_LIMIT = fdLimit();

export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });
export function timedGet(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { headers, agent: keepAlive }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

// --- processes ----------------------------------------------------------------------------------
export interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  coldStartMs: number;
  /** CPU time the process had used by then: what cold start costs without other load. */
  coldStartCpuMs: number;
  stop(): Promise<void>;
}

/**
 * `parley serve` from dist/ (serve-dist.mjs: what bin/parley.js runs when dist/ is fresh) with a
 * raised `ulimit -n`; resolves at the first 200 from /healthz.
 */
export async function startParley(env: Record<string, string>, extraNodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const nodeArgs = [...extraNodeArgs, path.join(here, 'serve-dist.mjs')].map((a) => `'${a}'`).join(' ');
  const t0 = performance.now();
  const child = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT}; exec '${process.execPath}' ${nodeArgs}`], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PARLEY_RATE_LIMIT_PER_KEY: '0',
      PARLEY_RATE_LIMIT_PER_IP: '0',
      PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`parley serve exited:\n${out}`);
    if (performance.now() - t0 > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`parley serve did not answer /healthz:\n${out}`);
    }
    try {
      const res = await request(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await sleep(5);
  }
  const coldStartMs = performance.now() - t0;
  const coldStartCpuMs = cpuMs(child.pid!);
  return {
    url,
    pid: child.pid!,
    child,
    coldStartMs,
    coldStartCpuMs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}


/** Idle streams held open against a server by a child process (streams.mjs), and what they cost it. */
export interface HeldStreams {
  open: number;
  failed: number;
  openSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  perStreamKb: number;
  /** The server's CPU over the idle window, in % of one core. */
  idleCpuPct: number;
  /** One /healthz answered while they are open. */
  healthMs: number;
  /** Closes them all (the child exits). */
  close(): Promise<void>;
}

/**
 * Opens streams with `streams.mjs args…` (raised `ulimit -n`) against `server`, freshly started:
 * RSS before, RSS 3 s after the last one opened, then the server's CPU over `idleSeconds` of
 * nothing happening. The streams stay open until `close()`.
 */
export async function holdStreams(server: Server, args: string[], idleSeconds: number): Promise<HeldStreams> {
  await sleep(1500);
  const rssBeforeMb = rssMb(server.pid);
  const child = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT}; exec '${process.execPath}' '${path.join(here, 'streams.mjs')}' "$@"`, 'streams', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const t0 = performance.now();
  while (!/open (\d+)/.test(out) && child.exitCode === null) await sleep(100);
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(200);
  const open = Number(/open (\d+)/.exec(out)?.[1] ?? 0);
  const failed = Number(/failed (\d+)/.exec(out)?.[1] ?? 0);
  await sleep(3000);
  const rssAfterMb = rssMb(server.pid);
  const cpu0 = cpuMs(server.pid);
  await sleep(idleSeconds * 1000);
  const idleCpuPct = (cpuMs(server.pid) - cpu0) / (idleSeconds * 10);
  const health = await timedGet(`${server.url}/healthz`, {});
  return {
    open,
    failed,
    openSeconds,
    rssBeforeMb,
    rssAfterMb,
    perStreamKb: open > 0 ? ((rssAfterMb - rssBeforeMb) * 1024) / open : NaN,
    idleCpuPct,
    healthMs: health.ms,
    async close() {
      child.stdin!.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A fresh PostgreSQL database for one benchmark run, beside TEST_DATABASE_URL's: its URL, and a
 * drop that removes it (connections closed by force).
 */
export async function createBenchPostgres(adminUrl: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `parley_bench_${randomBytes(5).toString('hex')}`;
  const run = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/**
 * An empty database for one benchmark run: SQLite in a fresh temp data directory, or a fresh
 * PostgreSQL database beside TEST_DATABASE_URL's (the data directory then holds files only). `env`
 * points a Parley process at it; `drop` removes the PostgreSQL database.
 */
export async function openBenchDatabase(
  db: DialectName,
  prefix: string,
): Promise<{ database: Database; dir: string; env: Record<string, string>; drop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (db === 'sqlite') {
    return { database: createDatabase({ dataDir: dir }), dir, env: { PARLEY_DATA_DIR: dir }, drop: async () => {} };
  }
  const bench = await createBenchPostgres(process.env.TEST_DATABASE_URL!);
  const database: Database = createDatabase({ databaseUrl: bench.url, poolSize: 4 });
  return { database, dir, env: { DATABASE_URL: bench.url, PARLEY_DATA_DIR: dir }, drop: bench.drop };
}
