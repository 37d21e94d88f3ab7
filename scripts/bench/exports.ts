// `npx tsx scripts/bench/exports.ts [--messages N] [--formats ndjson,csv] [--db sqlite,postgres]
//   [--json] [--no-build] [--keep]`
//
// The bulk export of messages (issue 18): seeds N messages (1,000,000 by default) into the
// benchmarked workspace with the benchmark's seeder (seed.ts; that workspace holds 80 % of what
// is seeded, four other tenants the rest), starts the compiled Parley (`parley serve` from dist/,
// rebuilt first when stale) as its own process, measures its idle RSS, then asks for an export of
// every message through the API and samples the server's RSS (/proc/<pid>/status, VmRSS) every
// 50 ms until the export is done. Reported per format: rows, seconds, rows per second, the file's
// size, idle RSS, peak RSS and the growth (peak − idle), which must stay under 50 MB.
// SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. See BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DialectName } from '../../src/shared/db/database.js';
import { migrateToLatest } from '../../src/shared/db/migrations/index.js';
import { argv, log, median, openBenchDatabase, opt, root, round, rssMb, sleep, startParley } from './common.js';
import { seed } from './seed.js';

const MESSAGES = Number(opt('messages') ?? 1_000_000);
const FORMATS = (opt('formats') ?? 'ndjson,csv').split(',') as Array<'ndjson' | 'csv'>;
const DBS = (opt('db')?.split(',') ?? ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])]) as DialectName[];
const JSON_OUT = argv.includes('--json');
const KEEP = argv.includes('--keep');
/** The limit the issue sets on the server's RSS growth while it exports. */
const LIMIT_MB = 50;

interface Row {
  db: DialectName;
  format: string;
  rows: number;
  seconds: number | null;
  rows_per_s: number;
  file_mb: number | null;
  idle_rss_mb: number | null;
  peak_rss_mb: number | null;
  growth_mb: number | null;
  rss_after_mb: number | null;
  within_limit: boolean;
}

async function api<T>(url: string, apiKey: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function runDialect(db: DialectName): Promise<Row[]> {
  const { database, dir, env, drop } = await openBenchDatabase(db, 'parley-bench-export-');
  const rows: Row[] = [];
  try {
    await migrateToLatest(database);
    const scale = Math.round(MESSAGES / 0.8);
    log(`${db}: seeding ${scale} messages (${MESSAGES} in the exported workspace)…`);
    const data = await seed(database, scale, log);
    log(`${db}: seeded ${JSON.stringify(data.counts)} in ${data.seconds.toFixed(1)} s`);
    await database.close();

    const server = await startParley(env);
    try {
      // Idle: after start-up has settled, the median of 2 s of samples.
      await sleep(3000);
      for (const format of FORMATS) {
        const idleSamples: number[] = [];
        for (let i = 0; i < 20; i++) {
          idleSamples.push(rssMb(server.pid));
          await sleep(100);
        }
        const idle = median(idleSamples);
        let peak = idle;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            peak = Math.max(peak, rssMb(server.pid));
            await sleep(50);
          }
        })();
        const t0 = performance.now();
        const created = await api<{ data: { id: string } }>(`${server.url}/api/v1/exports`, data.apiKey, 'POST', { resource: 'messages', format });
        let view: { status: string; row_count: number; download_url: string | null };
        for (;;) {
          view = (await api<{ data: typeof view }>(`${server.url}/api/v1/exports/${created.data.id}`, data.apiKey, 'GET')).data;
          if (view.status === 'done' || view.status === 'failed') break;
          await sleep(200);
        }
        const seconds = (performance.now() - t0) / 1000;
        sampling = false;
        await sampler;
        if (view.status !== 'done') throw new Error(`the ${format} export failed`);
        await sleep(1000);
        const after = rssMb(server.pid);
        const file = path.join(dir, 'exports', `${created.data.id}.${format}`);
        const fileMb = fs.statSync(file).size / 1024 ** 2;
        // The link works without credentials (first bytes only: the file is checked, not copied).
        const head = await fetch(`${server.url}${view.download_url!}`);
        await head.body?.cancel();
        if (head.status !== 200) throw new Error(`download → ${head.status}`);
        fs.rmSync(file, { force: true });
        const row: Row = {
          db,
          format,
          rows: view.row_count,
          seconds: round(seconds, 1),
          rows_per_s: Math.round(view.row_count / seconds),
          file_mb: round(fileMb, 1),
          idle_rss_mb: round(idle, 1),
          peak_rss_mb: round(peak, 1),
          growth_mb: round(peak - idle, 1),
          rss_after_mb: round(after, 1),
          within_limit: peak - idle < LIMIT_MB,
        };
        log(`${db} ${format}: ${JSON.stringify(row)}`);
        rows.push(row);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await drop();
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
  return rows;
}

async function main() {
  if (!argv.includes('--no-build')) {
    log('building dist/ (npm run build)…');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('build failed');
  }
  const results: Row[] = [];
  for (const db of DBS) results.push(...(await runDialect(db)));
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: round(os.totalmem() / 1024 ** 3, 1), node: process.version, date: new Date().toISOString() };
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ machine, messages: MESSAGES, limit_mb: LIMIT_MB, results })}\n`);
  } else {
    console.log('| db | format | rows | s | rows/s | file MB | idle RSS MB | peak RSS MB | growth MB | after MB |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(`| ${r.db} | ${r.format} | ${r.rows} | ${r.seconds} | ${r.rows_per_s} | ${r.file_mb} | ${r.idle_rss_mb} | ${r.peak_rss_mb} | ${r.growth_mb} | ${r.rss_after_mb} |`);
    }
  }
  if (results.some((r) => !r.within_limit)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
