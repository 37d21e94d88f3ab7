// `npx tsx scripts/bench/retention.ts [--messages N] [--events N] [--db sqlite,postgres] [--json]`
//
// Retention under write load (issue 18): seeds N messages (200,000 by default) with the
// benchmark's seeder (conversations spread over 180 days, 70 % ended) and M old events (100,000),
// sets the benchmarked workspace's retention to 90 days for ended conversations and 30 days for
// events, then runs the retention pass in-process — the same code the hourly task runs, with the
// erasure deleting each conversation and every copy of it — while requests through the real app
// (Fastify's inject: the same event loop and connection) keep creating contacts. Reported per
// kind: batches, rows, time, and each batch's write time (on SQLite the time the single writer is
// held: target ~10 ms, never much above 50 ms); and the writes' latency before and during the pass.
// SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. See BENCHMARKS.md.
import fs from 'node:fs';
import os from 'node:os';
import type { DialectName } from '../../src/shared/db/database.js';
import { migrateToLatest } from '../../src/shared/db/migrations/index.js';
import { buildApp } from '../../src/app.js';
import { createServices } from '../../src/services.js';
import { createRetention, type PrunedBatch } from '../../src/modules/retention/retention.js';
import { argv, log, median, openBenchDatabase, opt, quantile, round, sleep } from './common.js';
import { seed } from './seed.js';

const MESSAGES = Number(opt('messages') ?? 200_000);
const EVENTS = Number(opt('events') ?? 100_000);
const DBS = (opt('db')?.split(',') ?? ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])]) as DialectName[];
const JSON_OUT = argv.includes('--json');
const DAY = 86_400_000;

interface KindRow {
  db: DialectName;
  kind: string;
  batches: number;
  rows: number;
  seconds: number;
  batch_ms_median: number | null;
  batch_ms_p90: number | null;
  batch_ms_p99: number | null;
  batch_ms_max: number | null;
  batches_over_50ms: number;
}
interface WriteRow {
  db: DialectName;
  phase: 'before' | 'during';
  writes: number;
  ms_median: number | null;
  ms_p99: number | null;
  ms_max: number | null;
}

const stats = (xs: number[]) => ({ median: round(median(xs)), p90: round(quantile(xs, 0.9)), p99: round(quantile(xs, 0.99)), max: round(Math.max(...xs)) });

async function runDialect(db: DialectName): Promise<{ kinds: KindRow[]; writes: WriteRow[] }> {
  const { database, dir, drop } = await openBenchDatabase(db, 'parley-bench-retention-');
  try {
    await migrateToLatest(database);
    log(`${db}: seeding ${MESSAGES} messages…`);
    const data = await seed(database, MESSAGES, log);
    // Old events of the benchmarked workspace, 60 days back (their ids come before any new one).
    const at = new Date(Date.now() - 60 * DAY).toISOString();
    for (let i = 0; i < EVENTS; i += 500) {
      const rows = Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) => ({
        account_id: data.accountId,
        type: 'contact.updated',
        data: JSON.stringify({ contact: { id: i + k, email: `person${i + k}@example.com` } }),
        source: null,
        created_at: at,
        audience: null,
      }));
      await database.db.insertInto('events').values(rows).execute();
    }
    await database.db
      .updateTable('accounts')
      .set({ retention_ended_conversations_days: 90, retention_events_days: 30 })
      .where('id', '=', data.accountId)
      .execute();
    const ended = await database.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', data.accountId)
      .where('status', '=', 'ended')
      .where('ended_at', '<', new Date(Date.now() - 90 * DAY).toISOString())
      .executeTakeFirstOrThrow();
    log(`${db}: seeded ${JSON.stringify(data.counts)} and ${EVENTS} events; ${ended.n} ended conversations are past 90 days`);

    const services = createServices({ database, config: { llm: null, dataDir: dir, attachments: { maxBytes: 25 * 1024 * 1024, s3: null } } });
    const app = await buildApp({ services, rateLimits: { perKey: 1e9, perIp: 1e9 } });
    await app.ready();
    const batches: PrunedBatch[] = [];
    const retention = createRetention({
      database,
      eventLog: services.eventLog,
      erasure: services.erasure,
      onBatch: (b) => batches.push(b),
    });

    // One writer, one request at a time, as long as `writing` holds; each write's latency noted.
    let n = 0;
    const write = async (latencies: number[], writing: () => boolean) => {
      while (writing()) {
        const started = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/contacts',
          headers: { authorization: `Bearer ${data.apiKey}`, 'content-type': 'application/json' },
          payload: { email: `writer${n++}@example.com`, name: 'Load writer' },
        });
        if (res.statusCode !== 201) throw new Error(`POST /contacts → ${res.statusCode}: ${res.body}`);
        latencies.push(performance.now() - started);
        // A client's think time: the writes are a steady trickle, not a saturating loop.
        await sleep(2);
      }
    };
    const before: number[] = [];
    const until = performance.now() + 3000;
    await write(before, () => performance.now() < until);

    const during: number[] = [];
    let pruning = true;
    const writer = write(during, () => pruning);
    const started = performance.now();
    const done = await retention.pruneAll().finally(() => (pruning = false));
    const seconds = (performance.now() - started) / 1000;
    await writer;
    log(`${db}: pruned in ${seconds.toFixed(1)} s: ${JSON.stringify(done)}`);
    await app.close();

    const kinds: KindRow[] = [];
    for (const kind of [...new Set(batches.map((b) => b.kind))]) {
      const of = batches.filter((b) => b.kind === kind);
      const ms = of.map((b) => b.ms);
      const s = stats(ms);
      kinds.push({
        db,
        kind,
        batches: of.length,
        rows: of.reduce((a, b) => a + b.rows, 0),
        seconds: round(ms.reduce((a, b) => a + b, 0) / 1000)!,
        batch_ms_median: s.median,
        batch_ms_p90: s.p90,
        batch_ms_p99: s.p99,
        batch_ms_max: s.max,
        batches_over_50ms: ms.filter((x) => x > 50).length,
      });
    }
    const writes: WriteRow[] = (
      [
        ['before', before],
        ['during', during],
      ] as const
    ).map(([phase, xs]) => {
      const s = stats(xs);
      return { db, phase, writes: xs.length, ms_median: s.median, ms_p99: s.p99, ms_max: s.max };
    });
    return { kinds, writes };
  } finally {
    await database.close().catch(() => {});
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const kinds: KindRow[] = [];
const writes: WriteRow[] = [];
for (const db of DBS) {
  const out = await runDialect(db);
  kinds.push(...out.kinds);
  writes.push(...out.writes);
}
const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: round(os.totalmem() / 1024 ** 3, 1), node: process.version, date: new Date().toISOString(), load: os.loadavg().map((x) => round(x)) };
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ messages: MESSAGES, events: EVENTS, machine, kinds, writes })}\n`);
} else {
  console.table(kinds);
  console.table(writes);
  log(JSON.stringify(machine));
}
