// `npm run bench [-- --json] [--scale N] [--duration S] [--only a,b] [--db sqlite,postgres]
//   [--streams N] [--widget-streams N] [--connections C] [--no-build] [--keep]`
//
// Seeds a realistic data set, starts the compiled Parley (`node bin/parley.js serve`, dist/ rebuilt
// first when stale) as a separate process, and measures it with autocannon from another process,
// against a bare Fastify baseline that returns a constant JSON body of the same size, measured
// in the same run on the same machine. SQLite always; PostgreSQL too when TEST_DATABASE_URL is set
// (a fresh database is created for the run and dropped after). See BENCHMARKS.md.
//
// With --json, stdout carries exactly one JSON object; everything else goes to stderr.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type Database, type DialectName } from '../../src/shared/db/database.js';
import { migrateToLatest } from '../../src/shared/db/migrations/index.js';
import { encodeCursor } from '../../src/shared/pagination/pagination.js';
import { argv, cpuMs, createBenchPostgres, FD_LIMIT, here, holdStreams, keepAlive, log, median, opt, quantile, request, root, round, rssMb, sleep, startParley, timedGet, type Server } from './common.js';
import { seed, type SeededData } from './seed.js';
import { emailBench } from './email.js';
import { createVisitors, createWidgetChannel, VisitorPool, widgetFirstToken, widgetGreeting, widgetStreams, type Visitor } from './widget.js';

// --- options ------------------------------------------------------------------------------------
const JSON_OUT = argv.includes('--json');
const SCALE = Number(opt('scale') ?? 100_000);
const DURATION = Number(opt('duration') ?? 10);
const CONNECTIONS = Number(opt('connections') ?? 10);
const STREAMS = Number(opt('streams') ?? 10_000);
const WIDGET_STREAMS = Number(opt('widget-streams') ?? 10_000);
/** Cold runs of the launcher click to the greeting (median). */
const GREETING_RUNS = 5;
const ONLY = opt('only')?.split(',').map((s) => s.trim()).filter(Boolean);
const NO_BUILD = argv.includes('--no-build');
/** Which databases (default: SQLite, and PostgreSQL when TEST_DATABASE_URL is set). */
const DBS = opt('db')?.split(',').map((s) => s.trim()).filter(Boolean);
if (DBS?.some((d) => d !== 'sqlite' && d !== 'postgres')) throw new Error('--db takes sqlite and/or postgres');
const KEEP = argv.includes('--keep');
const wanted = (name: string) => !ONLY || ONLY.includes(name);

const CASES = [
  'messages_list',
  'conversations_filter',
  'inbox_list',
  'conversations_search',
  'contacts_find_or_create',
  'messages_send_sync',
  'stream_first_delta',
  'page_depth',
  'search_latency',
  'mixed',
  'streams',
  'webhooks',
  'cold_start',
  'widget_greeting',
  'widget_first_token',
  'widget_streams',
  'email',
];
if (ONLY) for (const n of ONLY) if (!CASES.includes(n)) throw new Error(`unknown case ${n}; known: ${CASES.join(', ')}`);
if (!Number.isFinite(SCALE) || SCALE < 100) throw new Error('--scale must be a number ≥ 100');

interface Result {
  name: string;
  db: DialectName;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  ratio_to_baseline: number | null;
  baseline_rps?: number;
  /**
   * Server CPU time per request, baseline's over Parley's: the throughput ratio the two would have
   * if each had a core to itself. Steadier than ratio_to_baseline on a machine others are using.
   */
  cpu_ratio?: number | null;
  cpu_ms_per_request?: number | null;
  errors?: number;
  statuses?: Record<string, number>;
}

async function startBaseline(): Promise<{ url: string; pid: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(here, 'baseline.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 400 && !/listening at (\S+)/.test(out); i++) await sleep(25);
  const m = /listening at (\S+)/.exec(out);
  if (!m) throw new Error('baseline did not start');
  return { url: m[1], pid: child.pid!, child };
}

interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  paths?: string[];
  bodies?: string[];
  body?: string;
  connections?: number;
  duration?: number;
}
interface LoadResult {
  requests: number;
  rps: number;
  rps_total: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  bytes_per_req: number;
}

/** Runs autocannon in a child process (so the load generator never shares the server's event loop). */
function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The spec (thousands of paths) goes through a file: too long for a command line.
    const specFile = path.join(os.tmpdir(), `parley-bench-load-${process.pid}-${randomBytes(4).toString('hex')}.json`);
    fs.writeFileSync(specFile, JSON.stringify({ connections: CONNECTIONS, duration: DURATION, ...spec }));
    const child = spawn(process.execPath, [path.join(here, 'loadgen.mjs'), specFile], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      fs.rmSync(specFile, { force: true });
      if (code !== 0) return reject(new Error(`loadgen exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!));
    });
  });
}

// --- the measurements ---------------------------------------------------------------------------
interface Ctx {
  db: DialectName;
  server: Server;
  baseline: { url: string; pid: number };
  data: SeededData;
  auth: Record<string, string>;
  results: Result[];
}

/**
 * One row: Parley's route under load, then the baseline answering the same method and paths with
 * a constant body of the size Parley's answer had. The two runs are back to back, so background
 * load on the machine affects both alike as far as possible.
 */
async function measure(
  ctx: Ctx,
  name: string,
  spec: { method?: 'GET' | 'POST'; paths: string[]; bodies?: string[]; json?: boolean },
): Promise<void> {
  const headers: Record<string, string> = { ...ctx.auth };
  if (spec.bodies) headers['content-type'] = 'application/json';
  // One real answer, to check it succeeds and to size the baseline's constant body.
  const sampleBody = spec.bodies?.[0]?.replace('__UNIQUE__', `probe-${randomBytes(4).toString('hex')}`);
  const probe = await request(`${ctx.server.url}${spec.paths[0]}`, { method: spec.method ?? 'GET', headers, body: sampleBody });
  if (probe.status >= 300) throw new Error(`${name}: ${probe.status} ${probe.body.slice(0, 300)}`);
  await request(`${ctx.baseline.url}/__body/${name}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: probe.body });
  log(`${ctx.db} ${name}: response ${probe.body.length} bytes; loading ${DURATION}s × ${CONNECTIONS} connections…`);
  // A short warm-up of both, not counted: caches, lazily compiled serializers, the JIT.
  const warm = Math.min(3, Math.max(1, Math.round(DURATION / 4)));
  await load({ url: ctx.server.url, method: spec.method, headers, paths: spec.paths, bodies: spec.bodies, duration: warm });
  await load({ url: ctx.baseline.url, method: spec.method, headers: spec.bodies ? { 'content-type': 'application/json' } : {}, paths: [`/b/${name}`], bodies: spec.bodies, duration: warm });
  const cpuP0 = cpuMs(ctx.server.pid);
  const parley = await load({ url: ctx.server.url, method: spec.method, headers, paths: spec.paths, bodies: spec.bodies });
  const cpuP = cpuMs(ctx.server.pid) - cpuP0;
  const cpuB0 = cpuMs(ctx.baseline.pid);
  const base = await load({
    url: ctx.baseline.url,
    method: spec.method,
    headers: spec.bodies ? { 'content-type': 'application/json' } : {},
    paths: [`/b/${name}`],
    bodies: spec.bodies,
  });
  const cpuB = cpuMs(ctx.baseline.pid) - cpuB0;
  const cpuPerReq = parley.requests ? cpuP / parley.requests : NaN;
  const cpuPerBase = base.requests ? cpuB / base.requests : NaN;
  const okShare = parley.requests ? 1 - (parley.non2xx + parley.errors) / parley.requests : 0;
  const row: Result = {
    name,
    db: ctx.db,
    rps: round(parley.rps_total, 1)!,
    p50_ms: parley.p50_ms,
    p99_ms: parley.p99_ms,
    ratio_to_baseline: round(parley.rps_total / base.rps_total, 3),
    baseline_rps: round(base.rps_total, 1)!,
    cpu_ratio: round(cpuPerBase / cpuPerReq, 3),
    cpu_ms_per_request: round(cpuPerReq, 3),
    errors: parley.errors + parley.non2xx,
    statuses: parley.statuses,
  };
  if (okShare < 0.99) log(`  warning: ${name} had ${row.errors} failed requests of ${parley.requests}: ${JSON.stringify(parley.statuses)}`);
  log(`  → ${row.rps} req/s (p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms); baseline ${row.baseline_rps} req/s; ratio ${row.ratio_to_baseline}; CPU per request ${row.cpu_ms_per_request} ms vs baseline ${round(cpuPerBase, 3)} ms → cpu_ratio ${row.cpu_ratio}`);
  ctx.results.push(row);
}

/** Sequential requests (one at a time) for `seconds`: the latency one caller sees, without queueing. */
async function sequential(urls: string[], headers: Record<string, string>, seconds: number): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end || times.length < urls.length; i++) {
    const r = await timedGet(urls[i % urls.length], headers);
    if (r.status !== 200) throw new Error(`${urls[i % urls.length]}: ${r.status}`);
    times.push(r.ms);
  }
  return times;
}

/**
 * Time to the first `stream.delta` of a streamed reply, one stream at a time. A conversation the
 * agent has handed to a person (after questions it could not answer) answers with no reply: it
 * leaves the rotation and is not a sample.
 */
async function streamFirstDelta(ctx: Ctx): Promise<void> {
  const ttfd: number[] = [];
  const total: number[] = [];
  const ids = [...ctx.data.activeConversationIds];
  let handedOver = 0;
  const questions = ['How long do refunds take?', 'Can I change my delivery address?', 'What is the warranty on a laptop?', 'How do I reset my password?'];
  const end = performance.now() + DURATION * 1000;
  let i = 0;
  const started = performance.now();
  while (performance.now() < end) {
    const id = ids[(i * 7919) % ids.length];
    const body = JSON.stringify({ content: questions[i % questions.length], stream: true });
    i++;
    const streamed = await new Promise<boolean>((resolve, reject) => {
      const t0 = performance.now();
      let first = 0;
      const req = http.request(
        `${ctx.server.url}/api/v1/conversations/${id}/messages`,
        { method: 'POST', headers: { ...ctx.auth, 'content-type': 'application/json' }, agent: keepAlive },
        (res) => {
          // 201: a JSON answer with no reply (a person has the conversation).
          if (res.statusCode !== 200 && res.statusCode !== 201) return reject(new Error(`stream: ${res.statusCode}`));
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            if (!first) {
              buf += d;
              if (buf.includes('event: stream.delta')) first = performance.now() - t0;
            }
          });
          res.on('end', () => {
            if (!first) return resolve(false);
            ttfd.push(first);
            total.push(performance.now() - t0);
            resolve(true);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (!streamed) {
      ids.splice(ids.indexOf(id), 1);
      if (++handedOver > 10 + ttfd.length / 10 || ids.length === 0) throw new Error(`stream_first_delta: ${handedOver} messages got no streamed reply (conversations handed to a person?) against ${ttfd.length} that did`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const row: Result = {
    name: 'stream_first_delta',
    db: ctx.db,
    rps: round(ttfd.length / seconds, 1)!,
    p50_ms: round(median(ttfd), 2)!,
    p99_ms: round(quantile(ttfd, 0.99), 2)!,
    ratio_to_baseline: null,
  };
  log(`${ctx.db} stream_first_delta: ${ttfd.length} streams; first delta p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms; whole reply p50 ${round(median(total))} ms${handedOver ? `; ${handedOver} conversations handed to a person left the rotation` : ''}`);
  ctx.results.push(row);
}

/** The first page of the conversation list against the last one (keyset: should cost the same). */
async function pageDepth(ctx: Ctx, database: Database): Promise<number | null> {
  // The cursor of the last page: after the 21st-oldest conversation, in the default order.
  const rows = await database.db
    .selectFrom('conversations')
    .select(['id', 'created_at'])
    .where('account_id', '=', ctx.data.accountId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(21)
    .execute();
  const edge = rows.at(-1)!;
  const cursor = encodeCursor(['created_at:desc', edge.created_at, edge.id]);
  const first = `${ctx.server.url}/api/v1/conversations?limit=20`;
  const last = `${ctx.server.url}/api/v1/conversations?limit=20&cursor=${cursor}`;
  const check = JSON.parse((await request(last, { headers: ctx.auth })).body) as { data: unknown[]; pagination: { has_more: boolean } };
  if (check.data.length !== 20 || check.pagination.has_more) throw new Error('page_depth: the cursor does not reach the last page');
  const secs = Math.max(2, DURATION / 2);
  await sequential([first, last], ctx.auth, 1); // warm both
  const firstTimes = await sequential([first], ctx.auth, secs);
  const lastTimes = await sequential([last], ctx.auth, secs);
  const ratio = median(lastTimes) / median(firstTimes);
  log(`${ctx.db} page_depth: first page p50 ${round(median(firstTimes))} ms, last page p50 ${round(median(lastTimes))} ms → ratio ${round(ratio, 3)}`);
  return round(ratio, 3);
}

async function searchLatency(ctx: Ctx): Promise<number | null> {
  const urls = ctx.data.searchQueries.map((q) => `${ctx.server.url}/api/v1/conversations?limit=20&q=${encodeURIComponent(q)}`);
  await sequential(urls, ctx.auth, 1);
  const times = await sequential(urls, ctx.auth, Math.max(3, DURATION));
  const perQuery = ctx.data.searchQueries.map((q, i) => `${q}: ${round(median(times.filter((_, j) => j % urls.length === i)))}`);
  log(`${ctx.db} search_latency (one at a time): p50 ${round(median(times))} ms, p95 ${round(quantile(times, 0.95))} ms; median per query ${perQuery.join(', ')}`);
  return round(quantile(times, 0.95), 2);
}

/** Half the calls find an existing contact (updating its metadata), half create one. */
function findOrCreateBodies(data: SeededData): string[] {
  return data.contactEmails.slice(0, 500).flatMap((email, i) => [
    JSON.stringify({ email, metadata: { last_seen: `v${i % 7}` } }),
    JSON.stringify({ email: 'new-__UNIQUE__@bench.example', name: 'New Contact', metadata: { plan: 'basic' } }),
  ]);
}

/**
 * What a reader (an operator paging through messages, one request at a time) waits while API
 * callers flood find-or-create writes at `CONNECTIONS` connections, against the same reads on an
 * otherwise idle server. On SQLite the writes share commits (group commit), and a batch holds the
 * one connection until it commits: this shows what that costs the reads beside it.
 */
async function mixedReadWrite(ctx: Ctx, convPaths: string[]): Promise<Record<string, number | null>> {
  const urls = convPaths.slice(0, 50).map((p) => `${ctx.server.url}${p}`);
  const secs = Math.max(3, DURATION);
  await sequential(urls, ctx.auth, 1);
  const alone = await sequential(urls, ctx.auth, secs);
  const writes = load({
    url: ctx.server.url,
    method: 'POST',
    headers: { ...ctx.auth, 'content-type': 'application/json' },
    paths: ['/api/v1/contacts'],
    bodies: findOrCreateBodies(ctx.data),
    duration: secs + 2,
  });
  await sleep(1000); // the writers at full speed first
  const mixed = await sequential(urls, ctx.auth, secs);
  const w = await writes;
  const out = {
    mixed_read_alone_p50_ms: round(median(alone), 2),
    mixed_read_alone_p99_ms: round(quantile(alone, 0.99), 2),
    mixed_read_p50_ms: round(median(mixed), 2),
    mixed_read_p99_ms: round(quantile(mixed, 0.99), 2),
    mixed_write_rps: round(w.rps_total, 1),
    mixed_write_p99_ms: w.p99_ms,
  };
  if (w.non2xx + w.errors > 0) log(`  warning: mixed had ${w.non2xx + w.errors} failed writes: ${JSON.stringify(w.statuses)}`);
  log(`${ctx.db} mixed: message page alone p50 ${out.mixed_read_alone_p50_ms} ms, p99 ${out.mixed_read_alone_p99_ms} ms; beside ${out.mixed_write_rps} find-or-create/s (${CONNECTIONS} connections, p99 ${w.p99_ms} ms): p50 ${out.mixed_read_p50_ms} ms, p99 ${out.mixed_read_p99_ms} ms`);
  return out;
}

/** Opens `STREAMS` idle event streams against a fresh server; RSS growth per stream. */
async function concurrentStreams(ctx: Omit<Ctx, 'server'>, env: Record<string, string>) {
  const server = await startParley(env);
  try {
    const s = await holdStreams(server, [`${server.url}/api/v1/events/stream`, ctx.data.apiKey, String(STREAMS)], 10);
    await s.close();
    log(`${ctx.db} streams: ${s.open}/${STREAMS} open in ${round(s.openSeconds, 1)} s (fd limit ${FD_LIMIT}); RSS ${round(s.rssBeforeMb, 1)} → ${round(s.rssAfterMb, 1)} MB; ${round(s.perStreamKb, 1)} KB per stream; idle CPU ${round(s.idleCpuPct, 1)} % of a core; /healthz meanwhile ${round(s.healthMs)} ms${s.failed ? `; ${s.failed} failed` : ''}`);
    return { open: s.open, perStreamKb: round(s.perStreamKb, 1), rssMb: round(s.rssAfterMb, 1), idleCpuPct: round(s.idleCpuPct, 1) };
  } finally {
    await server.stop();
  }
}

/** Deliveries per second to a loopback receiver: N due deliveries written at once, sent by the worker. */
async function webhookThroughput(ctx: Ctx, database: Database): Promise<number | null> {
  const N = 2000;
  const arrivals: number[] = [];
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as net.AddressInfo).port;
  try {
    const now = new Date().toISOString();
    const endpointId = crypto.randomUUID();
    await database.db
      .insertInto('webhook_endpoints')
      .values({
        id: endpointId,
        account_id: ctx.data.accountId,
        url: `http://127.0.0.1:${port}/hook`,
        description: 'bench receiver',
        events: JSON.stringify(['bench.none']),
        secret: `whsec_${randomBytes(24).toString('hex')}`,
        active: 1,
        failing_since: null,
        deactivated_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const rows = Array.from({ length: N }, (_, i) => ({
      id: crypto.randomUUID(),
      account_id: ctx.data.accountId,
      endpoint_id: endpointId,
      event_id: 1_000_000_000 + i,
      event_type: 'contact.updated',
      payload: JSON.stringify({ id: 1_000_000_000 + i, type: 'contact.updated', created_at: now, data: { contact: { id: i, email: `c${i}@example.com`, name: 'Bench Contact', metadata: { plan: 'pro' } } } }),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      last_status_code: null,
      last_error: null,
      last_duration_ms: null,
      delivered_at: null,
      created_at: now,
      updated_at: now,
    }));
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 200) await trx.insertInto('webhook_deliveries').values(rows.slice(i, i + 200) as never).execute();
    });
    const deadline = performance.now() + 120_000;
    while (arrivals.length < N && performance.now() < deadline) await sleep(50);
    if (arrivals.length < 2) {
      log(`${ctx.db} webhooks: only ${arrivals.length}/${N} deliveries arrived`);
      return null;
    }
    const rate = (arrivals.length - 1) / ((arrivals.at(-1)! - arrivals[0]) / 1000);
    const delivered = await database.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'delivered')
      .executeTakeFirst();
    log(`${ctx.db} webhooks: ${arrivals.length}/${N} received, ${delivered?.n} marked delivered; ${round(rate, 1)} deliveries/s`);
    return round(rate, 1);
  } finally {
    receiver.close();
  }
}

// --- the website chat widget (issue 14; scripts/bench/widget.ts) --------------------------------
const WIDGET_CASES = ['widget_greeting', 'widget_first_token', 'widget_streams'];

/**
 * The widget's cases on the main server: a web_widget channel made through the API, the launcher
 * click to the greeting (Chromium), a visitor's Enter to the first token, and the visitors whose
 * idle streams `widgetIdleStreams` holds on a fresh server afterwards.
 */
async function widgetOnServer(ctx: Ctx, extras: Record<string, number | null>): Promise<{ pool: VisitorPool; idle: Visitor[] | null } | null> {
  const { server, db } = ctx;
  const channel = await createWidgetChannel(server.url, ctx.data.apiKey, ctx.data.agentId);
  if (wanted('widget_greeting')) {
    const g = await widgetGreeting(server.url, channel.greeting, GREETING_RUNS);
    extras.widget_greeting_ms = g ? round(median(g.greetingMs), 1) : null;
    extras.widget_greeting_opaque_ms = g ? round(median(g.opaqueMs), 1) : null;
    extras.widget_launcher_ms = g ? round(median(g.launcherMs), 0) : null;
    if (g) {
      const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
      log(`${db} widget_greeting (Chromium, /demo, ${GREETING_RUNS} cold contexts): launcher click → greeting visible ${list(g.greetingMs)} ms (median ${extras.widget_greeting_ms}), → fully opaque ${list(g.opaqueMs)} ms; navigation → launcher shown ${list(g.launcherMs)} ms`);
    }
  }
  if (!wanted('widget_first_token') && !wanted('widget_streams')) return null;
  const pool = await VisitorPool.create(server.url, channel.publicKey, 50);
  if (wanted('widget_first_token')) {
    const r = await widgetFirstToken(server, pool, DURATION);
    const row: Result = {
      name: 'widget_first_token',
      db,
      rps: round(r.perSecond, 1)!,
      p50_ms: round(median(r.first), 2)!,
      p99_ms: round(quantile(r.first, 0.99), 2)!,
      ratio_to_baseline: null,
      cpu_ms_per_request: round(r.cpuPerReply, 2),
    };
    extras.widget_first_token_p50_ms = row.p50_ms;
    extras.widget_first_token_p95_ms = round(quantile(r.first, 0.95), 2);
    extras.widget_reply_cpu_ms = row.cpu_ms_per_request ?? null;
    log(`${db} widget_first_token: ${r.first.length} visitor messages (stream: true), one at a time; first stream.delta p50 ${row.p50_ms} ms, p95 ${extras.widget_first_token_p95_ms} ms, p99 ${row.p99_ms} ms; whole reply p50 ${round(median(r.total))} ms; server CPU ${row.cpu_ms_per_request} ms per reply${r.handedOver ? `; ${r.handedOver} handed to a person, not counted` : ''}`);
    ctx.results.push(row);
  }
  if (!wanted('widget_streams')) return { pool, idle: null };
  const made = await createVisitors(server.url, channel.publicKey, WIDGET_STREAMS);
  extras.widget_visitors_per_s = round(made.visitors.length / made.seconds, 1);
  log(`${db} widget_streams: ${made.visitors.length} visitors (session + conversation) made through the API from ${made.addresses} loopback addresses in ${round(made.seconds, 1)} s (${extras.widget_visitors_per_s} per s)`);
  return { pool, idle: made.visitors };
}

/** `WIDGET_STREAMS` idle visitor streams on a fresh server: memory, idle CPU, and their cost to replies. */
async function widgetIdleStreams(db: DialectName, env: Record<string, string>, visitors: Visitor[], pool: VisitorPool) {
  // Each stream's heartbeat comes every 15 s: a 15 s idle window counts every one once.
  const idleSeconds = DURATION >= 10 ? 15 : 5;
  const w = await widgetStreams(env, visitors, pool, Math.max(2, Math.min(5, DURATION)), idleSeconds);
  const h = w.held;
  log(`${db} widget_streams: ${h.open}/${visitors.length} visitor streams open in ${round(h.openSeconds, 1)} s (fd limit ${FD_LIMIT}); RSS ${round(h.rssBeforeMb, 1)} → ${round(h.rssAfterMb, 1)} MB; ${round(h.perStreamKb, 1)} KB per stream; idle CPU ${round(h.idleCpuPct, 1)} % of a core over ${idleSeconds} s; /healthz meanwhile ${round(h.healthMs)} ms${h.failed ? `; ${h.failed} failed` : ''}`);
  const replies = (r: typeof w.alone) => `first token p50 ${r.p50} ms, p95 ${r.p95} ms, whole reply p50 ${r.replyP50} ms, ${r.cpuPerReply} ms CPU per reply (${r.n} replies)`;
  log(`${db} widget_streams: a visitor's replies on that server before they opened: ${replies(w.alone)}; beside them: ${replies(w.beside)}`);
  return {
    widget_streams_open: h.open,
    widget_streams_rss_mb: round(h.rssAfterMb, 1),
    widget_rss_per_stream_kb: round(h.perStreamKb, 1),
    widget_streams_idle_cpu_pct: round(h.idleCpuPct, 1),
    widget_first_token_beside_streams_p50_ms: w.beside.p50,
    widget_reply_cpu_beside_streams_ms: w.beside.cpuPerReply,
    widget_reply_cpu_before_streams_ms: w.alone.cpuPerReply,
  };
}

// --- one database -------------------------------------------------------------------------------
async function runDialect(db: DialectName, baseline: { url: string; pid: number }, results: Result[]) {
  let env: Record<string, string>;
  let database: Database;
  let cleanup: () => Promise<void>;
  let version = '';
  if (db === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
    database = createDatabase({ dataDir: dir });
    env = { PARLEY_DATA_DIR: dir };
    cleanup = async () => {
      if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
      else log(`kept the SQLite data in ${dir}`);
    };
    version = String((await sql<{ v: string }>`select sqlite_version() as v`.execute(database.db)).rows[0].v);
  } else {
    const bench = await createBenchPostgres(process.env.TEST_DATABASE_URL!);
    database = createDatabase({ databaseUrl: bench.url, poolSize: 4 });
    env = { DATABASE_URL: bench.url };
    cleanup = async () => {
      if (KEEP) log(`kept the PostgreSQL database ${bench.name}`);
      else await bench.drop();
    };
    version = String((await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)).rows[0].v);
  }
  const extras: Record<string, number | null> = {};
  try {
    await migrateToLatest(database);
    log(`${db}: seeding ${SCALE} messages…`);
    const data = await seed(database, SCALE, log);
    log(`${db}: seeded ${JSON.stringify(data.counts)} in ${data.seconds.toFixed(1)} s`);

    if (wanted('cold_start')) {
      const colds: number[] = [];
      const coldCpus: number[] = [];
      const rsss: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = await startParley(env);
        colds.push(s.coldStartMs);
        coldCpus.push(s.coldStartCpuMs);
        await sleep(2000);
        rsss.push(rssMb(s.pid));
        await s.stop();
      }
      extras.cold_start_ms = round(median(colds), 0);
      extras.cold_start_cpu_ms = round(median(coldCpus), 0);
      extras.idle_rss_mb = round(median(rsss), 1);
      log(`${db} cold start (spawn → first 200 from /healthz): ${colds.map((c) => c.toFixed(0)).join(', ')} ms (CPU used: ${coldCpus.map((c) => c.toFixed(0)).join(', ')} ms); idle RSS ${rsss.map((r) => r.toFixed(1)).join(', ')} MB`);
    }

    let widget: Awaited<ReturnType<typeof widgetOnServer>> = null;
    const server = await startParley(env);
    const ctx: Ctx = { db, server, baseline, data, auth: { authorization: `Bearer ${data.apiKey}` }, results };
    try {
      const convPaths = data.conversationIds.map((id) => `/api/v1/conversations/${id}/messages?limit=20`);
      if (wanted('messages_list')) await measure(ctx, 'messages_list', { paths: convPaths });
      if (wanted('conversations_filter')) await measure(ctx, 'conversations_filter', { paths: ['/api/v1/conversations?status=active&limit=20'] });
      if (wanted('inbox_list')) {
        // The inbox's own page: the "Open" view by last activity, 50 rows with each contact and last message.
        await measure(ctx, 'inbox_list', { paths: ['/api/v1/conversations?view=open&sort=last_activity&include=contact,last_message&limit=50'] });
      }
      if (wanted('conversations_search')) {
        await measure(ctx, 'conversations_search', { paths: data.searchQueries.map((q) => `/api/v1/conversations?limit=20&q=${encodeURIComponent(q)}`) });
      }
      if (wanted('contacts_find_or_create')) {
        await measure(ctx, 'contacts_find_or_create', { method: 'POST', paths: ['/api/v1/contacts'], bodies: findOrCreateBodies(data) });
      }
      if (wanted('messages_send_sync')) {
        const questions = ['How long do refunds take?', 'Can I change my delivery address?', 'What is the warranty on a laptop?', 'How do I reset my password?', 'Do you ship internationally?'];
        const ids = data.activeConversationIds;
        const paths = ids.map((id) => `/api/v1/conversations/${id}/messages`);
        const bodies = ids.map((_, i) => JSON.stringify({ content: questions[i % questions.length] }));
        // Paths and bodies rotate together: each request is one question to one conversation.
        await measure(ctx, 'messages_send_sync', { method: 'POST', paths, bodies });
      }
      if (wanted('stream_first_delta')) await streamFirstDelta(ctx);
      if (wanted('page_depth')) extras.page_depth_ratio = await pageDepth(ctx, database);
      if (wanted('search_latency')) extras.search_p95_ms = await searchLatency(ctx);
      if (wanted('mixed')) Object.assign(extras, await mixedReadWrite(ctx, convPaths));
      if (wanted('webhooks')) extras.webhook_deliveries_per_s = await webhookThroughput(ctx, database);
      if (WIDGET_CASES.some(wanted)) widget = await widgetOnServer(ctx, extras);
      // Mail in → AI answer out by SMTP: 300 first mails at the default scale, 20 at the smallest.
      if (wanted('email')) Object.assign(extras, await emailBench(server.url, data.apiKey, Math.max(20, Math.min(300, Math.round(SCALE / 300))), db));
    } finally {
      await server.stop();
    }
    if (widget?.idle) Object.assign(extras, await widgetIdleStreams(db, env, widget.idle, widget.pool));
    if (wanted('streams') && db === 'sqlite') {
      const s = await concurrentStreams({ db, baseline, data, auth: {}, results }, env);
      extras.concurrent_streams = s.open;
      extras.rss_per_stream_kb = s.perStreamKb;
      extras.streams_rss_mb = s.rssMb;
      extras.streams_idle_cpu_pct = s.idleCpuPct;
    }
    return { extras, version, counts: data.counts, seedSeconds: data.seconds };
  } finally {
    await database.close();
    await cleanup();
  }
}

// --- main ---------------------------------------------------------------------------------------
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}
function distIsFresh(): boolean {
  try {
    return fs.statSync(path.join(root, 'dist', '.built')).mtimeMs >= newestMtime(path.join(root, 'src'));
  } catch {
    return false;
  }
}

async function main() {
  if (!distIsFresh() && !NO_BUILD) {
    log('dist/ is older than src/: building (npm run build)…');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('build failed');
  }
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build');
  const runtime = distIsFresh() ? 'dist (compiled, fresh)' : 'dist (compiled; src/ has changed since: run without --no-build to rebuild)';
  log(`Parley runs from ${runtime}`);
  const load0 = os.loadavg();
  const baseline = await startBaseline();
  const results: Result[] = [];
  const dialects: DialectName[] = DBS
    ? (DBS as DialectName[])
    : ['sqlite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];
  if (dialects.includes('postgres') && !process.env.TEST_DATABASE_URL) throw new Error('--db postgres needs TEST_DATABASE_URL');
  const runs: Record<string, Awaited<ReturnType<typeof runDialect>>> = {};
  try {
    for (const d of dialects) runs[d] = await runDialect(d, baseline, results);
  } finally {
    baseline.child.kill('SIGTERM');
  }
  const load1 = os.loadavg();
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memory_gb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite: runs.sqlite?.version,
    ...(runs.postgres ? { postgresql: runs.postgres.version } : {}),
    runtime,
    load_average_start: load0.map((x) => round(x, 2)),
    load_average_end: load1.map((x) => round(x, 2)),
    scale_messages: SCALE,
    seeded: Object.values(runs)[0]?.counts,
    seed_seconds: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, round(v.seedSeconds, 1)])),
    duration_s: DURATION,
    connections: CONNECTIONS,
    date: new Date().toISOString(),
  };
  const ex = runs.sqlite?.extras ?? {};
  const extras = {
    page_depth_ratio: ex.page_depth_ratio ?? null,
    search_p95_ms: ex.search_p95_ms ?? null,
    concurrent_streams: ex.concurrent_streams ?? null,
    rss_per_stream_kb: ex.rss_per_stream_kb ?? null,
    idle_rss_mb: ex.idle_rss_mb ?? null,
    cold_start_ms: ex.cold_start_ms ?? null,
    cold_start_cpu_ms: ex.cold_start_cpu_ms ?? null,
    webhook_deliveries_per_s: ex.webhook_deliveries_per_s ?? null,
    streams_rss_mb: ex.streams_rss_mb ?? null,
    streams_idle_cpu_pct: ex.streams_idle_cpu_pct ?? null,
    ...Object.fromEntries(Object.entries(ex).filter(([k]) => k.startsWith('mixed_') || k.startsWith('widget_') || k.startsWith('email_'))),
    ...(runs.postgres ? { postgres: runs.postgres.extras } : {}),
  };
  const report = { machine, results: results.map(({ statuses: _s, ...r }) => r), extras };
  log('');
  log(`| case | db | req/s | p50 ms | p99 ms | baseline req/s | ratio | CPU ms/req | cpu_ratio |`);
  log(`|---|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of results) {
    log(`| ${r.name} | ${r.db} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.baseline_rps ?? '–'} | ${r.ratio_to_baseline ?? '–'} | ${r.cpu_ms_per_request ?? '–'} | ${r.cpu_ratio ?? '–'} |`);
  }
  log(JSON.stringify(extras));
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(report)}\n`);
  else log(JSON.stringify(report, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
