import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { startReceiver } from '../../../test/webhook-receiver.js';
import { ConfigError, loadConfig } from '../../shared/config/config.js';
import { startServer } from '../../server.js';

// Webhook endpoints on this machine are accepted (their deliveries stay queued: no worker runs).
process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

const TOKEN = 'metrics-token-0123456789abcdef';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

/** A counter's or gauge's value (a histogram's: `<name>_count`) for the sample whose labels include `labels`; 0 when absent. */
function valueOf(families: Families, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === `${name}_count`) ?? families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample ? Number(sample.value) : 0;
}

/**
 * The exposition parsed. The parser folds all series of a labelled histogram into one, so each
 * histogram's `_count` series is also parsed as a counter family of its own, labels kept.
 */
function parse(text: string): Families {
  const families = parsePrometheusTextFormat(text);
  const counts = families
    .filter((f) => f.type === 'HISTOGRAM')
    .map((f) => [`# TYPE ${f.name}_count counter`, ...text.split('\n').filter((line) => line.startsWith(`${f.name}_count`))].join('\n'));
  return [...families, ...parsePrometheusTextFormat(`${counts.join('\n')}\n`)];
}

async function scrape(t: TestApp): Promise<Families> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body);
}

describe.each(DIALECTS)('GET /metrics on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, { metrics: { token: TOKEN, host: null } });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('is not there when metrics are off', async () => {
    const off = await createTestApp(dialect);
    try {
      const res = await off.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    } finally {
      await off.close();
    }
  });

  it('refuses a request without the metrics token, with a wrong one, or with an API key', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Bearer ${TOKEN}x`, t.auth.authorization, TOKEN]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'UNAUTHORIZED', details: {} });
      expect(res.body).not.toContain('parley_');
    }
  });

  it('counts requests by route pattern and status, never by URL', async () => {
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: {} });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const conv = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: t.auth, payload: { contact_id: contact.json().data.id } });
      ids.push(conv.json().data.id);
    }
    const before = await scrape(t);
    const route = { method: 'GET', route: '/api/v1/conversations/:id' };
    for (const id of ids) expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: t.auth })).statusCode).toBe(200);
    await t.app.inject({ method: 'GET', url: '/api/v1/conversations/00000000-0000-7000-8000-000000000000', headers: t.auth });
    await t.app.inject({ method: 'GET', url: '/no/such/page/here', headers: t.auth });
    const after = await scrape(t);

    expect(valueOf(after, 'parley_http_requests_total', { ...route, status: '200' }) - valueOf(before, 'parley_http_requests_total', { ...route, status: '200' })).toBe(3);
    expect(valueOf(after, 'parley_http_requests_total', { ...route, status: '404' }) - valueOf(before, 'parley_http_requests_total', { ...route, status: '404' })).toBe(1);
    expect(valueOf(after, 'parley_http_request_duration_seconds', { ...route, status: '200' })).toBeGreaterThanOrEqual(3);
    // No sample is labelled with an id or a URL that was asked for.
    const labels = after.flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
    for (const id of ids) expect(labels.some((l) => l.includes(id))).toBe(false);
    expect(labels.some((l) => l.includes('/no/such/page'))).toBe(false);
  });

  it("times AI replies by provider, and counts a provider's failures", async () => {
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: {} });
    const conv = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: t.auth, payload: { contact_id: contact.json().data.id } });
    const before = await scrape(t);
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv.json().data.id}/messages`,
      headers: t.auth,
      payload: { role: 'user', content: 'How long do refunds take?' },
    });
    expect(sent.statusCode).toBe(201);
    const after = await scrape(t);
    const provider = { provider: 'builtin' };
    expect(valueOf(after, 'parley_ai_reply_first_token_seconds', provider) - valueOf(before, 'parley_ai_reply_first_token_seconds', provider)).toBe(1);
    const done = { ...provider, outcome: 'completed' };
    expect(valueOf(after, 'parley_ai_reply_duration_seconds', done) - valueOf(before, 'parley_ai_reply_duration_seconds', done)).toBe(1);

    // A model that answers 500: the reply fails, and the failure is counted under that provider.
    fake.script({ status: 500, retryAfterMs: 1 });
    const llm = await createTestApp(dialect, {
      metrics: { token: TOKEN, host: null },
      llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'k', model: 'fake-model' },
    });
    try {
      const c = await llm.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: llm.auth, payload: {} });
      const cv = await llm.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: llm.auth, payload: { contact_id: c.json().data.id } });
      await llm.app.inject({ method: 'POST', url: `/api/v1/conversations/${cv.json().data.id}/messages`, headers: llm.auth, payload: { role: 'user', content: 'Hello?' } });
      const failed = await scrape(llm);
      expect(valueOf(failed, 'parley_ai_reply_failures_total', { provider: 'openai-compatible:fake-model' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(failed, 'parley_ai_reply_duration_seconds', { provider: 'openai-compatible:fake-model', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    } finally {
      await llm.close();
    }
  });

  it("reports every queue's depth, and the webhook queue grows with undelivered events", async () => {
    const receiver = await startReceiver();
    try {
      const before = await scrape(t);
      for (const queue of ['webhook_deliveries', 'async_replies', 'channel_deliveries', 'exports']) {
        expect(before.find((f) => f.name === 'parley_queue_depth')?.metrics.some((m) => m.labels?.queue === queue)).toBe(true);
      }
      // The webhook worker does not run in tests: deliveries stay queued.
      const hook = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: t.auth, payload: { url: receiver.url('/hook'), events: ['contact.created'] } });
      expect(hook.statusCode, hook.body).toBe(201);
      await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: { email: 'queued@example.com' } });
      await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: { email: 'queued2@example.com' } });
      const after = await scrape(t);
      const depth = { queue: 'webhook_deliveries' };
      expect(valueOf(after, 'parley_queue_depth', depth) - valueOf(before, 'parley_queue_depth', depth)).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  it("reports an event consumer's lag until it catches up", async () => {
    await t.services.notificationsConsumer.run();
    const caughtUp = await scrape(t);
    expect(valueOf(caughtUp, 'parley_event_consumer_lag_events', { consumer: 'notifications' })).toBe(0);
    await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: { email: 'lag1@example.com' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: { email: 'lag2@example.com' } });
    expect(valueOf(await scrape(t), 'parley_event_consumer_lag_events', { consumer: 'notifications' })).toBe(2);
    await t.services.notificationsConsumer.run();
    expect(valueOf(await scrape(t), 'parley_event_consumer_lag_events', { consumer: 'notifications' })).toBe(0);
  });

  it('reports open streams and database connections', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const opened = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events/stream', headers: t.auth }, (res) => {
        res.once('data', () => resolve(req));
      });
      req.on('error', reject);
    });
    expect(valueOf(await scrape(t), 'parley_open_streams')).toBe(1);
    opened.destroy();
    await expect.poll(async () => valueOf(await scrape(t), 'parley_open_streams')).toBe(0);

    const pool = await scrape(t);
    expect(valueOf(pool, 'parley_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(pool, 'parley_db_pool_connections', { state: 'waiting' })).toBe(0);
    const use = ['idle', 'in_use'].map((state) => valueOf(pool, 'parley_db_pool_connections', { state }));
    expect(use[0]! + use[1]!).toBe(valueOf(pool, 'parley_db_pool_connections', { state: 'total' }));
    // Process metrics come along.
    expect(valueOf(pool, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts requests the HTTP parser refuses (headers too large) as unparsed', async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const before = valueOf(await scrape(t), 'parley_http_requests_total', { route: 'unparsed', status: '431' });
    const status = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/api/v1/contacts', headers: { 'x-filler': 'x'.repeat(20_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(431);
    expect(valueOf(await scrape(t), 'parley_http_requests_total', { route: 'unparsed', status: '431' }) - before).toBe(1);
  });
});

describe('metrics settings', () => {
  it('refuses a metrics host that is not a loopback address, and a short token', () => {
    expect(() => loadConfig({ PARLEY_METRICS_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_METRICS_HOST: '10.0.0.5' })).toThrow(/loopback/);
    expect(() => loadConfig({ PARLEY_METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(loadConfig({ PARLEY_METRICS_HOST: '::1' }).metrics).toEqual({ token: null, host: '::1', port: 9464 });
    expect(loadConfig({}).metrics).toEqual({ token: null, host: null, port: 9464 });
  });

  it('serves GET /metrics on the loopback listener alone, without a token, when PARLEY_METRICS_HOST is set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-metrics-'));
    const server = await startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dir, LOG_LEVEL: 'silent', PARLEY_METRICS_HOST: '127.0.0.1', PARLEY_METRICS_PORT: '0' }),
    );
    try {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      await fetch(`${server.url}/healthz`);
      const res = await fetch(server.metricsUrl!);
      expect(res.status).toBe(200);
      const families = parse(await res.text());
      expect(valueOf(families, 'parley_http_requests_total', { route: '/healthz', status: '200' })).toBe(1);
      // Not on the public port, and nothing else on the metrics one.
      const main = await fetch(`${server.url}/metrics`);
      expect(main.status).toBe(404);
      expect((await main.json()).error.code).toBe('NOT_FOUND');
      const other = await fetch(server.metricsUrl!.replace('/metrics', '/api/v1/contacts'));
      expect(other.status).toBe(404);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
