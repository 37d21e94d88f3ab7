import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, sleep, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createWebhookWorker } from '../webhooks/webhooks.worker.js';
import { PNG, upload } from '../attachments/attachments.test-support.js';

process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

interface LoggedEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

/** A webhook receiver that fails every delivery and echoes what it was sent, as some do. */
async function startEchoingReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => res.writeHead(500, { 'content-type': 'text/plain' }).end(`could not take ${body}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Where each erased string (or any string) is found in the raw storage. */
function rawStorage(t: TestApp, dialect: string): Array<{ where: string; bytes: Buffer }> {
  if (dialect === 'sqlite') {
    return ['parley.db', 'parley.db-wal']
      .map((f) => path.join(t.location, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => ({ where: path.basename(f), bytes: fs.readFileSync(f) }));
  }
  const dump = execFileSync('/usr/bin/pg_dump', ['--no-owner', '--data-only', t.location], { maxBuffer: 256 * 1024 * 1024 });
  return [{ where: 'pg_dump', bytes: dump }];
}

function occurrences(bytes: Buffer, needle: string): number {
  const n = Buffer.from(needle, 'utf8');
  let count = 0;
  for (let i = bytes.indexOf(n); i !== -1; i = bytes.indexOf(n, i + 1)) count++;
  return count;
}

describe.each(DIALECTS)('erasure on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let receiver: Awaited<ReturnType<typeof startEchoingReceiver>>;

  beforeAll(async () => {
    receiver = await startEchoingReceiver();
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const deliver = () => createWebhookWorker({ database: t.database, eventLog: t.services.eventLog, retryBaseMs: 60_000, allowPrivate: true }).run();
  const withKey = (key: string) => ({ ...t.auth, 'idempotency-key': key });
  /** Every event of the workspace, as an admin sees them (notes' events included). */
  async function allEvents(): Promise<LoggedEvent[]> {
    const out: LoggedEvent[] = [];
    let after = 0;
    for (;;) {
      const page = (await api<{ data: LoggedEvent[] }>(t, 'GET', `/api/v1/events?after=${after}&limit=100`, undefined, admin.headers)).body.data;
      out.push(...page);
      if (page.length < 100) return out;
      after = page.at(-1)!.id;
    }
  }

  /**
   * A contact with every kind of personal data, in a conversation that reaches every copy: events,
   * a webhook delivery (whose receiver echoed it), idempotent requests, a file, a note, a member's
   * notification and an automation run. Returns the strings that must all go.
   */
  async function personWithEverything(tag: string) {
    const secrets = {
      email: `erin.${tag}@zyx-example.com`,
      name: `Erin Quaffle${tag}`,
      phone: `+44 7700 9${tag}`,
      address: `221B Quixotic${tag} Lane`,
      card: `4929${tag}56781234`,
      // A word only the full-text index keeps whole (its terms are prefix-compressed: a shared prefix is stored once).
      fts: `ombatxq${tag}zz`,
      cardSpaced: `4929 ${tag} 5678 1234`,
      note: `Notewort${tag} says the customer is difficult`,
      file: `passport-quaffle${tag}.png`,
      title: `Refund for Quaffle${tag}`,
    };
    const contact = await api<{ data: { id: number } }>(
      t,
      'POST',
      '/api/v1/contacts',
      { email: secrets.email, name: secrets.name, phone: secrets.phone, metadata: { address: secrets.address, plan: 'gold' } },
      withKey(`contact-${tag}`),
    );
    expect(contact.status, contact.text).toBe(201);
    const contactId = contact.body.data.id;
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId, title: secrets.title }, withKey(`conv-${tag}`));
    expect(conv.status, conv.text).toBe(201);
    const conversationId = conv.body.data.id;
    await api(t, 'POST', `/api/v1/conversations/${conversationId}/assign`, { member_id: admin.member.id });
    const sent = await api(
      t,
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { content: `Wombatxq${tag}zz My card is ${secrets.card} (${secrets.cardSpaced}), send it to ${secrets.address}` },
      withKey(`msg-${tag}`),
    );
    expect(sent.status, sent.text).toBeLessThan(300);
    const note = await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { content: secrets.note, role: 'note' }, admin.headers);
    expect(note.status, note.text).toBeLessThan(300);
    const file = await upload(t, `/api/v1/conversations/${conversationId}/attachments`, [{ filename: secrets.file, content: PNG }]);
    expect(file.status).toBe(201);
    const withFile = await api(
      t,
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { content: 'Here is the scan', role: 'operator', attachment_ids: [file.body.data![0].id] },
      admin.headers,
    );
    expect(withFile.status, withFile.text).toBeLessThan(300);
    await t.services.notificationsConsumer.run();
    await t.services.automationsConsumer.run();
    return { contactId, conversationId, secrets: Object.values(secrets) };
  }

  it('leaves none of an erased contact’s strings in the events, the API or the raw storage, and keeps everyone else’s', async () => {
    const rule = await api(t, 'POST', '/api/v1/automations', {
      name: 'Tag card questions',
      event: 'message.created',
      conditions: [{ field: 'message.content', operator: 'contains', value: 'card' }],
      actions: [{ type: 'add_tag', value: 'billing' }],
    });
    expect(rule.status, rule.text).toBe(201);
    const hook = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: receiver.url, events: ['*'] });
    expect(hook.status, hook.text).toBe(201);
    const keeper = await personWithEverything('7301');
    const doomed = await personWithEverything('5512');
    expect(await deliver()).toBeGreaterThan(0);
    const stored = rawStorage(t, dialect);
    // The test would prove nothing if the strings were never stored.
    for (const s of doomed.secrets) expect(stored.some((f) => occurrences(f.bytes, s) > 0), s).toBe(true);
    const beforeIds = await allEvents();
    const copies = async () => {
      const db = t.database.db;
      const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string }> }) => Number((await q.executeTakeFirstOrThrow()).n);
      return {
        notifications: await count(db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', doomed.conversationId)),
        runs: await count(db.selectFrom('automation_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', doomed.conversationId)),
        idempotent: await count(db.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('key', 'like', '%-5512')),
        echoed: await count(db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('last_error', 'like', '%5512%')),
        attachments: await count(db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', doomed.conversationId)),
      };
    };
    // Every kind of copy exists before, so that its absence after means something.
    const before = await copies();
    for (const [kind, n] of Object.entries(before)) expect(n, kind).toBeGreaterThan(0);
    const files = fs.readdirSync(path.join(t.dataDir, 'attachments'), { recursive: true }).length;

    const res = await api(t, 'DELETE', `/api/v1/contacts/${doomed.contactId}`, undefined, admin.headers);
    expect(res.status, res.text).toBe(204);
    expect(await copies()).toEqual({ notifications: 0, runs: 0, idempotent: 0, echoed: 0, attachments: 0 });
    expect(fs.readdirSync(path.join(t.dataDir, 'attachments'), { recursive: true }).length).toBeLessThan(files);

    // The log keeps every event, in sequence, with its type; the erased ones carry only ids.
    const events = await allEvents();
    expect(events.slice(0, beforeIds.length).map((e) => [e.id, e.type])).toEqual(beforeIds.map((e) => [e.id, e.type]));
    const erased = events.filter((e) => e.data.redacted === true);
    expect(erased.length).toBeGreaterThanOrEqual(5);
    for (const e of erased) expect(Object.keys(e.data).every((k) => ['redacted', 'contact_id', 'conversation_id', 'message_id'].includes(k))).toBe(true);
    expect(erased.filter((e) => e.type === 'contact.created').map((e) => e.data)).toEqual([{ redacted: true, contact_id: doomed.contactId }]);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'contact.erased', data: { contact_id: doomed.contactId, conversation_ids: [doomed.conversationId] } });
    const text = JSON.stringify(events);
    for (const s of doomed.secrets) expect(text).not.toContain(s);

    // Through the API: gone; the webhook delivery carries the redacted event.
    expect((await api(t, 'GET', `/api/v1/contacts/${doomed.contactId}`)).status).toBe(404);
    expect((await api(t, 'GET', `/api/v1/conversations/${doomed.conversationId}`)).status).toBe(404);
    const deliveries = await api(t, 'GET', `/api/v1/webhooks/${hook.body.data.id}/deliveries?limit=100`);
    for (const s of doomed.secrets) expect(deliveries.text).not.toContain(s);
    const notifications = await api(t, 'GET', '/api/v1/notifications?limit=100', undefined, admin.headers);
    for (const s of doomed.secrets) expect(notifications.text).not.toContain(s);

    // The raw storage: the SQLite file and its WAL, or a dump of the PostgreSQL database.
    const after = rawStorage(t, dialect);
    for (const f of after) {
      const found = doomed.secrets.filter((s) => occurrences(f.bytes, s) > 0);
      expect(found, `in ${f.where}`).toEqual([]);
    }

    // Everyone else's data is untouched.
    for (const s of keeper.secrets) expect(after.some((f) => occurrences(f.bytes, s) > 0), s).toBe(true);
    const kept = await api<{ data: { email: string; metadata: Record<string, unknown> } }>(t, 'GET', `/api/v1/contacts/${keeper.contactId}`);
    expect(kept.body.data).toMatchObject({ email: `erin.7301@zyx-example.com`, metadata: { address: '221B Quixotic7301 Lane' } });
    const keptMessages = await api(t, 'GET', `/api/v1/conversations/${keeper.conversationId}/messages`, undefined, admin.headers);
    expect(keptMessages.text).toContain('49297301');
    expect(keptMessages.text).toContain('passport-quaffle7301.png');
    const search = await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?q=Quaffle');
    expect(search.body.data.map((c) => c.id)).toEqual([keeper.conversationId]);
  });

  it('erases a single conversation the same way, and answers 404 in the envelope for ids that are not there', async () => {
    const person = await personWithEverything('6620');
    const other = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: person.contactId });
    const agent = await api(t, 'DELETE', `/api/v1/conversations/${person.conversationId}`);
    expect(agent.status).toBe(204);
    expect((await api(t, 'DELETE', `/api/v1/conversations/${person.conversationId}`)).status).toBe(404);
    const missing = await api(t, 'DELETE', '/api/v1/conversations/00000000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
    expect((await api(t, 'DELETE', '/api/v1/conversations/not-an-id')).status).toBe(400);
    const gone = await api(t, 'DELETE', '/api/v1/contacts/987654321', undefined, admin.headers);
    expect(gone.status).toBe(404);
    expect(errorOf(gone).code).toBe('NOT_FOUND');

    const events = await allEvents();
    const ofConversation = events.filter((e) => e.data.conversation_id === person.conversationId || (e.data.conversation as { id?: string })?.id === person.conversationId);
    expect(ofConversation.length).toBeGreaterThan(2);
    for (const e of ofConversation) expect(e.data.redacted).toBe(true);
    // The contact stays, and so does its other conversation.
    expect((await api(t, 'GET', `/api/v1/contacts/${person.contactId}`)).status).toBe(200);
    expect((await api(t, 'GET', `/api/v1/conversations/${other.body.data.id}`)).status).toBe(200);
    const conversationOnly = ['4929662056781234', 'ombatxq6620zz', 'Notewort6620', 'passport-quaffle6620.png', 'Refund for Quaffle6620'];
    for (const f of rawStorage(t, dialect)) {
      expect(conversationOnly.filter((s) => occurrences(f.bytes, s) > 0), `in ${f.where}`).toEqual([]);
    }
  });

  it('erases conversations in batches for retention, skips ids that are not the account’s, redacts audit entries and empties the WAL once checkpointed', async () => {
    const accountId = t.workspace.accountId;
    const person = await personWithEverything('8843');
    const other = await t.otherWorkspace();
    const foreign = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: await newContactIn(other.auth) }, other.auth);
    const audit = (target_type: string, target_id: string, account_id = accountId) =>
      t.database.db
        .insertInto('audit_log')
        .values({ account_id, actor_type: 'system', actor_id: null, actor_name: null, action: 'test.touched', target_type, target_id, details: JSON.stringify({ said: 'Quaffle8843 said hi' }), ip: null, created_at: new Date().toISOString() })
        .execute();
    await audit('conversation', person.conversationId);
    await audit('contact', String(person.contactId));
    await audit('conversation', foreign.body.data.id, other.accountId);

    expect(await t.services.erasure.eraseConversations(accountId, [foreign.body.data.id, '00000000-0000-7000-8000-000000000000'], 'retention')).toBe(0);
    expect(await t.services.erasure.eraseConversations(accountId, [person.conversationId, person.conversationId], 'retention')).toBe(1);
    // Retention checkpoints once at the end of its run, not after each batch.
    const wal = path.join(t.location, 'parley.db-wal');
    if (dialect === 'sqlite') expect(fs.statSync(wal).size).toBeGreaterThan(0);
    expect(await t.services.erasure.checkpoint()).toBe(true);
    if (dialect === 'sqlite') expect(fs.statSync(wal).size).toBe(0);
    expect(await t.services.erasure.eraseConversations(accountId, [person.conversationId], 'retention')).toBe(0);

    const entries = await t.database.db.selectFrom('audit_log').select(['account_id', 'target_type', 'action', 'details']).where('action', '=', 'test.touched').orderBy('id').execute();
    expect(entries.map((e) => [e.target_type, e.action, JSON.parse(e.details)])).toEqual([
      ['conversation', 'test.touched', { redacted: true }],
      ['contact', 'test.touched', { said: 'Quaffle8843 said hi' }],
      ['conversation', 'test.touched', { said: 'Quaffle8843 said hi' }],
    ]);
    // The other account's conversation is untouched.
    expect((await api(t, 'GET', `/api/v1/conversations/${foreign.body.data.id}`, undefined, other.auth)).status).toBe(200);

    await t.services.erasure.eraseContact(accountId, person.contactId);
    const contactEntry = await t.database.db.selectFrom('audit_log').select('details').where('target_type', '=', 'contact').where('target_id', '=', String(person.contactId)).executeTakeFirstOrThrow();
    expect(JSON.parse(contactEntry.details)).toEqual({ redacted: true });
    await expect(t.services.erasure.eraseContact(accountId, person.contactId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('drops the stored answer of an idempotent request that created a guest contact, with no email to find it by', async () => {
    const guest = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Guest Plumtree' }, withKey('guest-plumtree'));
    expect(guest.status).toBe(201);
    const other = await api(t, 'POST', '/api/v1/contacts', { name: 'Other Guest' }, withKey('guest-other'));
    expect(other.status).toBe(201);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${guest.body.data.id}`, undefined, admin.headers)).status).toBe(204);
    const keys = await t.database.db.selectFrom('idempotency_keys').select('key').where('key', 'like', 'guest-%').execute();
    expect(keys.map((k) => k.key)).toEqual(['guest-other']);
    // Repeating the request now creates the contact again instead of answering with the erased one.
    const again = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Guest Plumtree' }, withKey('guest-plumtree'));
    expect(again.status).toBe(201);
    expect(again.body.data.id).not.toBe(guest.body.data.id);
  });

  it('keeps what analytics counted of an erased contact’s conversations, as counts', async () => {
    const ws = await t.otherWorkspace();
    const contactId = await newContactIn(ws.auth);
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId }, ws.auth);
    const id = conv.body.data.id;
    const exchange = await api<{ data: { assistant_message: { id: number } } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Where is my parcel?' }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${id}/messages/${exchange.body.data.assistant_message.id}/feedback`, { rating: 'like' }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Looking into it', role: 'operator' }, ws.auth);
    await api(t, 'PATCH', `/api/v1/conversations/${id}`, { score: 4 }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${id}/end`, undefined, ws.auth);
    const second = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${second.body.data.id}/messages`, { content: 'Thanks' }, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${second.body.data.id}/end`, undefined, ws.auth);

    const figures = async () => {
      const res = await api<{ data: { totals: Record<string, unknown>; series: Array<Record<string, unknown>> } }>(t, 'GET', '/api/v1/analytics?days=2', undefined, ws.auth);
      expect(res.status, res.text).toBe(200);
      const counts = (v: Record<string, unknown>) => {
        const { median_first_response_seconds: _a, median_time_to_end_seconds: _b, ...rest } = v;
        return rest;
      };
      return { totals: counts(res.body.data.totals), series: res.body.data.series.map(counts) };
    };
    const before = await figures();
    expect(before.totals).toMatchObject({ conversations: { started: 2, ended: 2, handoffs: 1, ai_resolved: 1 }, feedback: { likes: 1 }, scored_conversations: 1 });
    await t.services.erasure.eraseContact(ws.accountId, contactId);
    expect(await figures()).toEqual(before);
    // A second erasure adds to the same counts, it does not replace them.
    const again = await newContactIn(ws.auth);
    await api(t, 'POST', '/api/v1/conversations', { contact_id: again }, ws.auth);
    await t.services.erasure.eraseContact(ws.accountId, again);
    expect(((await figures()).totals.conversations as { started: number }).started).toBe(3);
  });

  it('erases a contact while its conversations are written to: other writes answer or 404/422, and no copy is left unredacted', async () => {
    for (let round = 0; round < 4; round++) {
      const tag = `race${round}`;
      const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: `${tag}@zyx-example.com`, name: `Racer ${tag}` });
      const contactId = contact.body.data.id;
      const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId });
      const post = (i: number) => api(t, 'POST', `/api/v1/conversations/${conv.body.data.id}/messages`, { content: `Secretline ${tag} ${i}` });
      const results = await Promise.all([
        post(1),
        api(t, 'POST', '/api/v1/conversations', { contact_id: contactId }),
        post(2),
        sleep(round).then(() => api(t, 'DELETE', `/api/v1/contacts/${contactId}`, undefined, admin.headers)),
        post(3),
        api(t, 'PATCH', `/api/v1/contacts/${contactId}`, { name: `Renamed ${tag}` }),
        post(4),
      ]);
      expect(results[3].status, results[3].text).toBe(204);
      for (const r of results) expect([200, 201, 202, 204, 404, 422], r.text).toContain(r.status);
      const left = await t.database.db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).execute();
      expect(left).toEqual([]);
      const text = JSON.stringify(await allEvents());
      expect(text).not.toContain(`Secretline ${tag}`);
      expect(text).not.toContain(`${tag}@zyx-example.com`);
      expect(text).not.toContain(`Racer ${tag}`);
      expect(text).not.toContain(`Renamed ${tag}`);
    }
  });

  async function newContactIn(auth: Record<string, string>): Promise<number> {
    return (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Elsewhere' }, auth)).body.data.id;
  }
});
