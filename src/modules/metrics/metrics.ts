import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AiProvider, ReplyRequest, ReplyStream } from '../../ai/provider.js';
import type { Database } from '../../shared/db/database.js';

/**
 * What Parley tells Prometheus (GET /metrics): requests by route and status, AI replies by
 * provider, queue depths, event consumers' lag, open streams and database connections.
 *
 * Each app has its own registry (tests build many apps in one process). Label values are always
 * from a bounded set: the route *pattern* (`/api/v1/conversations/:id`, never the URL), the HTTP
 * method and status, the provider's name, a fixed list of queues, the consumers' names. Queue
 * depths, lag and pool use are read when scraped, not kept up to date between scrapes.
 */
export interface Metrics {
  readonly registry: Registry;
  /** One answered request: `route` is the matched route's pattern, `unmatched`, or `unparsed` (refused by the HTTP parser: 431, 400, 408; no method). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Wraps a provider so that every reply it writes is timed and its failures counted. */
  instrumentProvider(provider: AiProvider): AiProvider;
  /** The Prometheus text of every metric (runs the queries of the read-when-scraped ones). */
  render(): Promise<string>;
  readonly contentType: string;
}

/** The queues whose depth is reported, and what counts as waiting in each. */
const QUEUES = ['webhook_deliveries', 'async_replies', 'channel_deliveries', 'exports'] as const;

/** Seconds: from a few milliseconds (the built-in responder) to a slow model's long answer. */
const REPLY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics({ database, openStreams }: { database: Database; openStreams: () => number }): Metrics {
  const registry = new Registry();
  let defaultsOn = false;
  // Read before the scrape's own queries take connections, so that they are not counted.
  let poolUse = database.poolUse();

  const requests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });

  const firstToken = new Histogram({
    name: 'parley_ai_reply_first_token_seconds',
    help: 'Time from asking the AI provider for a reply to its first piece of text, by provider',
    labelNames: ['provider'] as const,
    buckets: REPLY_BUCKETS,
    registers: [registry],
  });
  const replySeconds = new Histogram({
    name: 'parley_ai_reply_duration_seconds',
    help: 'Time from asking the AI provider for a reply to its last piece of text, by provider and outcome (completed, failed, stopped)',
    labelNames: ['provider', 'outcome'] as const,
    buckets: REPLY_BUCKETS,
    registers: [registry],
  });
  const replyFailures = new Counter({
    name: 'parley_ai_reply_failures_total',
    help: 'AI replies that failed, by provider and stage (start: no text at all; stream: failed part-way)',
    labelNames: ['provider', 'stage'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'parley_queue_depth',
    help: 'Work waiting or in progress, by queue: webhook deliveries and channel deliveries (email) not yet sent, async AI replies not yet written, exports not yet written',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const depths = await queueDepths(database);
      for (const queue of QUEUES) this.set({ queue }, depths[queue]);
    },
  });
  new Gauge({
    name: 'parley_event_consumer_lag_events',
    help: 'Events appended to the log that a consumer (automations, notifications, …) has not processed yet, by consumer',
    labelNames: ['consumer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { name, lag } of await consumerLag(database)) this.set({ consumer: name }, lag);
    },
  });
  new Gauge({
    name: 'parley_open_streams',
    help: 'Server-Sent Events streams open now (the inbox event feed, widget conversations)',
    registers: [registry],
    collect() {
      this.set(openStreams());
    },
  });
  new Gauge({
    name: 'parley_db_pool_connections',
    help: 'Database connections by state: total (open), idle, in_use, and waiting (requests queued for a connection). SQLite has one connection.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const use = poolUse;
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
      this.set({ state: 'in_use' }, use.total - use.idle);
      this.set({ state: 'waiting' }, use.waiting);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    instrumentProvider(provider) {
      const name = provider.name;
      return {
        get name() {
          return provider.name;
        },
        write: provider.write?.bind(provider),
        async reply(request: ReplyRequest): Promise<ReplyStream> {
          const started = performance.now();
          const elapsed = () => (performance.now() - started) / 1000;
          let stream: ReplyStream;
          try {
            stream = await provider.reply(request);
          } catch (err) {
            replyFailures.inc({ provider: name, stage: 'start' });
            replySeconds.observe({ provider: name, outcome: 'failed' }, elapsed());
            throw err;
          }
          return { ...stream, handoff: stream.handoff?.bind(stream), text: timed(stream.text) };

          async function* timed(text: AsyncIterable<string>): AsyncGenerator<string> {
            let first = true;
            let outcome: 'completed' | 'failed' | 'stopped' = 'stopped';
            try {
              for await (const chunk of text) {
                if (first) {
                  first = false;
                  firstToken.observe({ provider: name }, elapsed());
                }
                yield chunk;
              }
              outcome = 'completed';
            } catch (err) {
              outcome = 'failed';
              replyFailures.inc({ provider: name, stage: first ? 'start' : 'stream' });
              throw err;
            } finally {
              // 'stopped': the reader let go early (taken over, client gone) — neither done nor failed.
              replySeconds.observe({ provider: name, outcome }, elapsed());
            }
          }
        },
      };
    },
    async render() {
      poolUse = database.poolUse();
      if (!defaultsOn) {
        // Process metrics (CPU, memory, event loop lag) once something scrapes: a test app never pays
        // for them. Their standard names (process_*, nodejs_*), so that ready-made dashboards work.
        defaultsOn = true;
        collectDefaultMetrics({ register: registry });
      }
      return registry.metrics();
    },
  };
}

async function queueDepths(database: Database): Promise<Record<(typeof QUEUES)[number], number>> {
  const { db } = database;
  const count = async (query: Promise<{ n: number | string | bigint } | undefined>) => Number((await query)?.n ?? 0);
  const [webhooks, replies, channels, exportsWaiting] = await Promise.all([
    count(db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirst()),
    count(db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').executeTakeFirst()),
    count(db.selectFrom('channel_deliveries').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', ['queued', 'sending']).executeTakeFirst()),
    count(db.selectFrom('exports').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', ['pending', 'running']).executeTakeFirst()),
  ]);
  return { webhook_deliveries: webhooks, async_replies: replies, channel_deliveries: channels, exports: exportsWaiting };
}

async function consumerLag(database: Database): Promise<{ name: string; lag: number }[]> {
  const { db } = database;
  const latest = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const head = Number(latest?.id ?? 0);
  const consumers = await db.selectFrom('event_consumers').select(['name', 'last_event_id']).execute();
  return consumers.map((c) => ({ name: c.name, lag: Math.max(0, head - Number(c.last_event_id)) }));
}
