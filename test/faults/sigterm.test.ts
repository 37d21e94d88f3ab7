import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai.js';
import { startServe, type ServeProcess } from '../serve-process.js';
import { call, sleep, tempDir } from './support.js';

/** SIGTERM: what is in flight finishes (replies, streams), open event streams end cleanly, exit 0. */

interface Sse {
  events: Array<{ event: string; data: unknown }>;
  /** Resolves when the server ends the response; rejects if it breaks off. */
  done: Promise<void>;
}

/** Reads a Server-Sent Events response to its end, keeping every event. */
function readSse(res: Response): Sse {
  const events: Sse['events'] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ? (JSON.parse(data) as unknown) : null });
      }
    }
  })();
  return { events, done };
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('SIGTERM', () => {
  let server: ServeProcess | null = null;
  let fake: FakeOpenAI | null = null;
  let dir = '';

  afterEach(async () => {
    await server?.kill();
    await fake?.close();
    server = null;
    fake = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets in-flight requests and streams finish, ends event streams, refuses new connections, exits 0', async () => {
    fake = await startFakeOpenAI();
    const chunks = ['Returns ', 'are ', 'free ', 'within ', '30 ', 'days.'];
    fake.script({ chunks, delayMs: 300 }); // about 2 s per reply
    dir = tempDir('parley-faults-sigterm-');
    server = await startServe({
      PARLEY_DATA_DIR: dir,
      PARLEY_LLM: 'openai-compatible',
      OPENAI_BASE_URL: fake.url,
      PARLEY_MODEL: 'fake-model',
      PARLEY_RATE_LIMIT_PER_KEY: '0',
      PARLEY_RATE_LIMIT_PER_IP: '0',
    });
    const base = server.url;
    const port = Number(new URL(base).port);
    const key = server.apiKey!;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    const contact = await call(base, 'POST', '/api/v1/contacts', { key, body: { email: 'term@example.com' } });
    const contactId = (contact.body as { data: { id: number } }).data.id;
    const conv = async () =>
      ((await call(base, 'POST', '/api/v1/conversations', { key, body: { contact_id: contactId } })).body as { data: { id: string } }).data.id;
    const [streamed, synced] = [await conv(), await conv()];

    // An events stream that stays open.
    const feedRes = await fetch(`${base}/api/v1/events/stream`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
    expect(feedRes.status).toBe(200);
    const feed = readSse(feedRes);

    // A streamed reply and a slow synchronous one, both in flight.
    const streamRes = await fetch(`${base}/api/v1/conversations/${streamed}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: 'How do returns work?', stream: true }),
    });
    expect(streamRes.status).toBe(200);
    const stream = readSse(streamRes);
    const sync = call(base, 'POST', `/api/v1/conversations/${synced}/messages`, { key, body: { content: 'And refunds?' }, timeoutMs: 20_000 });

    // Mid-way: the stream has started, the sync request is waiting on the model.
    const midWay = () => stream.events.some((e) => e.event === 'stream.delta') && fake!.requests.length === 2;
    for (const t0 = Date.now(); !midWay() && Date.now() - t0 < 10_000; ) await sleep(20);
    expect(stream.events.some((e) => e.event === 'stream.delta')).toBe(true);
    expect(fake.requests.length).toBe(2);
    const exited = server.stop(); // SIGTERM
    const sentAt = Date.now();

    // New connections are refused at once, while the in-flight work goes on.
    await sleep(300);
    expect(await refused(port)).toBe(true);

    // Both replies complete normally.
    await stream.done;
    const names = stream.events.map((e) => e.event);
    expect(names[0]).toBe('message.created');
    expect(names).toContain('stream.start');
    expect(names.at(-1)).toBe('stream.end');
    const end = stream.events.at(-1)!.data as { message?: { content?: string; status?: string } };
    expect(end.message?.content ?? JSON.stringify(end)).toContain(chunks.join(''));
    const syncAnswer = await sync;
    expect(syncAnswer.status, JSON.stringify(syncAnswer.body)).toBe(201);
    const exchange = (syncAnswer.body as { data: { assistant_message: { content: string; status: string } } }).data;
    expect(exchange.assistant_message.content).toBe(chunks.join(''));
    expect(exchange.assistant_message.status).toBe('completed');

    // The events feed was ended by the server, cleanly (no broken connection).
    await expect(feed.done).resolves.toBeUndefined();
    expect(feed.events.some((e) => e.event === 'message.created')).toBe(true);

    // And the process exits 0, within a few seconds.
    expect(await exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(8_000);
    server = null;

    // Everything the replies produced was stored: a restart finds both answers.
    server = await startServe({ PARLEY_DATA_DIR: dir });
    for (const id of [streamed, synced]) {
      const list = await call(server.url, 'GET', `/api/v1/conversations/${id}/messages`, { key });
      const msgs = (list.body as { data: Array<{ role: string; status: string; content: string }> }).data;
      expect(msgs.map((m) => [m.role, m.status])).toEqual([
        ['user', 'completed'],
        ['assistant', 'completed'],
      ]);
      expect(msgs[1].content).toBe(chunks.join(''));
    }
  });
});
