import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers.js';
import { startServe, type ServeProcess } from '../serve-process.js';
import { call, createPgDatabase, sleep, tempDir } from './support.js';

/**
 * `kill -9` in the middle of sustained writes, then a restart on the same data: everything that
 * was acknowledged with a 2xx is there, and the database is sound.
 */

const WRITERS = 4;
const WRITE_FOR_MS = 2000;

interface Acknowledged {
  contacts: number[];
  conversations: string[];
  /** [conversation id, message id] */
  messages: Array<[string, number]>;
}

/** One client writing as fast as it can until `stop()`: a contact, a conversation, then messages. */
async function writer(base: string, key: string, n: number, ack: Acknowledged, running: () => boolean): Promise<void> {
  let i = 0;
  while (running()) {
    i++;
    const contact = await call(base, 'POST', '/api/v1/contacts', {
      key,
      body: { email: `w${n}-${i}@example.com`, name: `Writer ${n} #${i}`, metadata: { writer: n, i } },
    });
    if (contact.status === 0) return; // the server is gone
    if (contact.status !== 200 && contact.status !== 201) continue;
    const contactId = (contact.body as { data: { id: number } }).data.id;
    ack.contacts.push(contactId);
    const conv = await call(base, 'POST', '/api/v1/conversations', { key, body: { contact_id: contactId, metadata: { writer: n } } });
    if (conv.status === 0) return;
    if (conv.status !== 201) continue;
    const convId = (conv.body as { data: { id: string } }).data.id;
    ack.conversations.push(convId);
    for (let m = 0; m < 3 && running(); m++) {
      const msg = await call(base, 'POST', `/api/v1/conversations/${convId}/messages`, {
        key,
        body: { content: `Message ${m} from writer ${n}: how do returns work?` },
      });
      if (msg.status === 0) return;
      if (msg.status !== 201) continue;
      const data = (msg.body as { data: { user_message: { id: number }; assistant_message: { id: number } | null } }).data;
      ack.messages.push([convId, data.user_message.id]);
      if (data.assistant_message) ack.messages.push([convId, data.assistant_message.id]);
    }
  }
}

describe.each(DIALECTS)('kill -9 during sustained writes (%s)', (dialect) => {
  let server: ServeProcess | null = null;
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    await server?.kill();
    server = null;
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('keeps every acknowledged write and an intact database', async () => {
    let env: Record<string, string>;
    let dataDir = '';
    if (dialect === 'sqlite') {
      dataDir = tempDir('parley-faults-kill-');
      cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      env = { PARLEY_DATA_DIR: dataDir };
    } else {
      const db = await createPgDatabase(process.env.TEST_DATABASE_URL!);
      cleanups.push(() => db.drop());
      env = { DATABASE_URL: db.url };
    }
    env = { ...env, PARLEY_RATE_LIMIT_PER_KEY: '0', PARLEY_RATE_LIMIT_PER_IP: '0' };

    server = await startServe(env);
    const key = server.apiKey!;
    expect(key).toMatch(/^sk_/);
    const base = server.url;

    const ack: Acknowledged = { contacts: [], conversations: [], messages: [] };
    // Warm up first (routes compile their validators on first use), so the clock measures writes.
    let warm = 0;
    await writer(base, key, WRITERS, ack, () => warm++ < 1);
    let running = true;
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(base, key, n, ack, () => running));
    // About two seconds of writes, and enough of them to mean something on a slow machine.
    const started = Date.now();
    while (Date.now() - started < WRITE_FOR_MS || (ack.messages.length < 30 && Date.now() - started < 15_000)) await sleep(50);
    // Mid-flight: the writers are still sending when the process dies.
    await server.kill();
    server = null;
    running = false;
    await Promise.all(writers);

    expect(ack.contacts.length).toBeGreaterThan(5);
    expect(ack.messages.length).toBeGreaterThan(5);

    server = await startServe(env);
    const again = server.url;
    const missing: string[] = [];
    for (const id of ack.contacts) {
      const r = await call(again, 'GET', `/api/v1/contacts/${id}`, { key });
      if (r.status !== 200) missing.push(`contact ${id}: ${r.status}`);
    }
    for (const id of ack.conversations) {
      const r = await call(again, 'GET', `/api/v1/conversations/${id}`, { key });
      if (r.status !== 200) missing.push(`conversation ${id}: ${r.status}`);
    }
    for (const [conv, id] of ack.messages) {
      const r = await call(again, 'GET', `/api/v1/conversations/${conv}/messages/${id}`, { key });
      if (r.status !== 200) missing.push(`message ${conv}/${id}: ${r.status}`);
    }
    expect(missing).toEqual([]);

    // And the restarted server takes writes again.
    const after = await call(again, 'POST', '/api/v1/contacts', { key, body: { email: 'after-restart@example.com' } });
    expect(after.status).toBe(201);
    expect(await server.stop()).toBe(0);
    server = null;

    if (dialect === 'sqlite') {
      const file = new SqliteDatabase(path.join(dataDir, 'parley.db'));
      try {
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(file.pragma('foreign_key_check')).toEqual([]);
        const count = (table: string) => (file.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
        expect(count('contacts')).toBeGreaterThanOrEqual(ack.contacts.length + 1);
        expect(count('messages')).toBeGreaterThanOrEqual(ack.messages.length);
      } finally {
        file.close();
      }
    } else {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const one = async (q: string) => Number((await client.query<{ n: string }>(q)).rows[0].n);
        expect(await one('select count(*) as n from contacts')).toBeGreaterThanOrEqual(ack.contacts.length + 1);
        expect(await one('select count(*) as n from messages')).toBeGreaterThanOrEqual(ack.messages.length);
        // Foreign keys hold: no message without its conversation, no conversation without its contact.
        expect(await one('select count(*) as n from messages m left join conversations c on c.id = m.conversation_id where c.id is null')).toBe(0);
        expect(await one('select count(*) as n from conversations c left join contacts k on k.id = c.contact_id where k.id is null')).toBe(0);
        // Every constraint is still validated.
        expect(await one('select count(*) as n from pg_constraint where convalidated = false')).toBe(0);
      } finally {
        await client.end();
      }
    }
  });
});
