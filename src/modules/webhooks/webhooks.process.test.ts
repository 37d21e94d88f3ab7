import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import { startServe, type ServeProcess } from '../../../test/serve-process.js';
import { freePort, startReceiver, type Receiver } from '../../../test/webhook-receiver.js';

/**
 * Webhooks across real `parley serve` processes: deliveries survive a kill -9 (they are rows
 * committed with their events), and two processes on one PostgreSQL send each delivery once.
 */

interface Delivery {
  event_id: number;
  status: string;
  attempts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call<T>(server: ServeProcess, apiKey: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: T }).data;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(DIALECTS)('webhooks across parley processes on %s', (dialect) => {
  let db: TestDatabase | null = null;
  let receiver: Receiver | null = null;
  const servers: ServeProcess[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    await receiver?.close();
    receiver = null;
    await db?.cleanup();
    db = null;
  });

  /** A fresh database the first server seeds, and the environment every server of the test shares. */
  async function environment(): Promise<Record<string, string>> {
    db = await openTestDatabase(dialect);
    return {
      ...(dialect === 'sqlite' ? { PARLEY_DATA_DIR: db.location } : { DATABASE_URL: db.location }),
      PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
      // The first retry comes 1–2 s after a failure: soon, but never before the kill below.
      PARLEY_WEBHOOK_RETRY_BASE_MS: '2000',
    };
  }

  async function serve(env: Record<string, string>): Promise<ServeProcess> {
    const server = await startServe(env, 20_000);
    servers.push(server);
    return server;
  }

  it('delivers every event committed before a kill -9, once the receiver is back and the server restarted', async () => {
    const env = await environment();
    const port = await freePort(); // the receiver is down: connections are refused
    const first = await serve(env);
    const apiKey = first.apiKey!;
    const hook = await call<{ id: string; secret: string }>(first, apiKey, 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/crash` });
    const contacts: number[] = [];
    for (let i = 0; i < 5; i++) contacts.push((await call<{ id: number }>(first, apiKey, 'POST', '/contacts', {})).id);
    // Every delivery was tried and failed, and waits for its retry.
    await waitFor(
      async () => {
        const ds = await call<Delivery[]>(first, apiKey, 'GET', `/webhooks/${hook.id}/deliveries?limit=100`);
        return ds.length === 5 && ds.every((d) => d.status === 'pending' && d.attempts >= 1);
      },
      10_000,
      'the first attempts',
    );
    await first.kill();
    servers.splice(servers.indexOf(first), 1);

    receiver = await startReceiver(port);
    receiver.secret('/crash', hook.secret);
    const second = await serve(env);
    const r = receiver;
    await waitFor(() => new Set(r.at('/crash').map((x) => x.event.id)).size === 5, 15_000, 'every event at the receiver');

    const got = r.at('/crash');
    expect(got.every((x) => x.verified)).toBe(true);
    const delivered = new Set(got.map((x) => (x.event.data.contact as { id: number }).id));
    expect([...delivered].sort((a, b) => a - b)).toEqual([...contacts].sort((a, b) => a - b));
    const ds = await call<Delivery[]>(second, apiKey, 'GET', `/webhooks/${hook.id}/deliveries?status=delivered&limit=100`);
    expect(ds).toHaveLength(5);
    expect(ds.every((d) => d.attempts >= 2)).toBe(true);
  }, 30_000);

  it.skipIf(dialect !== 'postgres')('sends each delivery exactly once between two servers on one database', async () => {
    const env = await environment();
    receiver = await startReceiver();
    const a = await serve(env);
    const b = await serve(env);
    const apiKey = a.apiKey!;
    const hook = await call<{ id: string; secret: string }>(a, apiKey, 'POST', '/webhooks', { url: receiver.url('/pair') });
    receiver.secret('/pair', hook.secret);
    const n = 40;
    // Events produced through both processes at once, so both workers find work together.
    await Promise.all(
      Array.from({ length: n }, (_, i) => call<{ id: number }>(i % 2 === 0 ? a : b, apiKey, 'POST', '/contacts', {})),
    );
    const r = receiver;
    await waitFor(() => new Set(r.at('/pair').map((x) => x.event.id)).size === n, 15_000, 'every event at the receiver');
    // Time for a duplicate to show up, if either process were to send one.
    await sleep(2500);
    const got = r.at('/pair');
    expect(got).toHaveLength(n);
    expect(new Set(got.map((x) => x.headers['parley-delivery-id'])).size).toBe(n);
    expect(got.every((x) => x.verified)).toBe(true);
    const ds = await call<Delivery[]>(b, apiKey, 'GET', `/webhooks/${hook.id}/deliveries?limit=100`);
    expect(ds.map((d) => [d.status, d.attempts])).toEqual(Array.from({ length: n }, () => ['delivered', 1]));
  }, 30_000);
});
