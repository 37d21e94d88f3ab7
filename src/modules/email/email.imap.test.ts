import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, DIALECTS, openSecondHandle, openTestDatabase, type TestApp, type TestDatabase } from '../../../test/helpers.js';
import { startServe, type ServeProcess } from '../../../test/serve-process.js';
import { api } from '../../../test/http.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../../../test/dovecot.js';
import type { DialectName, Database } from '../../shared/db/database.js';
import { startTasks, type RunningTasks, type TaskLogger } from '../../shared/tasks/tasks.js';
import { createServices, type Services } from '../../services.js';
import { createTasks } from '../../tasks.js';
import { createImapReceiver } from './email.imap.js';
import { createEmailMailboxesRepository } from './email.mailboxes.repository.js';

/**
 * Inbound mail by IMAP, against a real dovecot: each new mail imported once (across restarts,
 * renumbered mailboxes and two processes), marked read, IDLE news picked up at once, and the
 * channel's status telling admins when the server refuses the sign-in.
 */

const skipReason = dovecotMissing();
if (skipReason) console.warn(skipReason);

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

const quiet: TaskLogger = { info: () => undefined, error: () => undefined };

interface Channel {
  id: string;
  status: { state: 'connected' | 'failing' | null; last_error: string | null; last_error_at: string | null; checked_at: string | null };
}

/** A customer's mail as a mail client writes it; returns the raw text and its Message-ID (without <>). */
function customerMail(subject: string, body: string, from = 'Jane Customer <jane@customer.example>') {
  const messageId = `${randomBytes(8).toString('hex')}@customer.example`;
  const raw = [
    `From: ${from}`,
    'To: Shop Support <support@shop.example>',
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
  return { raw, messageId };
}

/** The IMAP task exactly as `parley serve` runs it, over these services. */
function startImap(services: Services): { tasks: RunningTasks; run: () => Promise<number> } {
  const task = createTasks(services).find((candidate) => candidate.name === 'email-imap');
  if (!task) throw new Error('no email-imap task is registered');
  return { tasks: startTasks([task], quiet), run: () => task.run() };
}

describe.skipIf(skipReason !== null).each(DIALECTS)('inbound mail by IMAP on %s', (dialect: DialectName) => {
  let dovecot: Dovecot;
  const users = ['ana', 'ben', 'cy', 'dee', 'eve', 'fay', 'gus', 'ike', 'jo', 'kim'].map((user) => ({ user, password: `${user}-secret` }));
  const password = (user: string) => users.find((u) => u.user === user)!.password;

  beforeAll(async () => {
    dovecot = await startDovecot(users);
  });
  afterAll(async () => dovecot?.stop());

  /** A fresh app and workspace for each test, so no other test's channel is read alongside. */
  let opened: Array<() => Promise<unknown>> = [];
  const fresh = async () => {
    const t = await createTestApp(dialect);
    opened.push(() => t.close());
    return t;
  };
  const cleanup = async () => {
    // Last opened first: tasks and second handles before the app and its database.
    for (const close of opened.reverse()) await close().catch(() => undefined);
    opened = [];
  };
  const started = <T extends { tasks: RunningTasks }>(imap: T): T => {
    opened.push(() => imap.tasks.stop());
    return imap;
  };

  const createChannel = async (t: TestApp, user: string, options: { password?: string; mailbox?: string } = {}) => {
    const res = await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', {
      name: 'Support mail',
      type: 'email',
      config: {
        address: 'support@shop.example',
        smtp: { host: '127.0.0.1', port: 2525, secure: false },
        imap: { host: dovecot.host, port: dovecot.port, secure: false, user, password: options.password ?? password(user), mailbox: options.mailbox ?? 'INBOX' },
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.body.data.id;
  };

  const channelOf = async (t: TestApp, id: string) => (await api<{ data: Channel }>(t, 'GET', `/api/v1/channels/${id}`)).body.data;

  /** The mails the channel imported, by Message-ID, with the user message each became. */
  const importedMails = (database: Database, channelId: string) =>
    database.db
      .selectFrom('email_messages as e')
      .leftJoin('messages as m', 'm.id', 'e.message_id')
      .select(['e.message_id_header', 'e.conversation_id', 'm.content', 'm.role'])
      .where('e.channel_id', '=', channelId)
      .where('e.direction', '=', 'in')
      .orderBy('e.created_at')
      .execute();

  const waitForMails = async (database: Database, channelId: string, count: number, timeout = 15_000) => {
    await vi.waitFor(async () => expect(await importedMails(database, channelId)).toHaveLength(count), { timeout, interval: 100 });
    return importedMails(database, channelId);
  };

  const seen = async (user: string, mailbox = 'INBOX') => [...(await dovecot.flags(user, mailbox)).values()].map((flags) => flags.has('\\Seen'));

  it('imports a mail delivered to the mailbox as a conversation and a message, marks it read, and says connected', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'ana');
      started(startImap(t.services));
      const mail = customerMail('Where is my order?', 'Hello, my order #1234 has not arrived yet.');
      await dovecot.deliver('ana', mail.raw);

      const [row] = await waitForMails(t.database, channelId, 1);
      expect(row).toMatchObject({ message_id_header: mail.messageId, role: 'user' });
      expect(row.content).toContain('my order #1234 has not arrived');
      const conversation = await api<{ data: { title: string | null; channel_id: string } }>(t, 'GET', `/api/v1/conversations/${row.conversation_id}`);
      expect(conversation.body.data).toMatchObject({ title: 'Where is my order?', channel_id: channelId });

      await vi.waitFor(async () => expect(await seen('ana')).toEqual([true]), { timeout: 5000, interval: 100 });
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status).toMatchObject({ state: 'connected', last_error: null }), { timeout: 5000, interval: 100 });

      // The same mail forwarded to the channel's inbound URL as well: the same result, not a second import.
      const token = await api<{ data: { inbound_token: string } }>(t, 'POST', `/api/v1/channels/${channelId}/rotate_inbound_token`);
      const forwarded = await t.app.inject({
        method: 'POST',
        url: `/api/v1/channels/${channelId}/inbound`,
        headers: { 'content-type': 'message/rfc822', 'x-parley-inbound-token': token.body.data.inbound_token },
        payload: mail.raw,
      });
      expect(forwarded.statusCode).toBe(202);
      expect((forwarded.json() as { data: { status: string } }).data.status).toBe('duplicate');
      expect(await importedMails(t.database, channelId)).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it('on its first read of a mailbox imports the unread mails already there, not the read ones', async () => {
    try {
      const t = await fresh();
      const handled = customerMail('Old and answered', 'Read long ago in a mail client.');
      const waiting = customerMail('Still waiting', 'Nobody has read this yet.');
      await dovecot.deliver('gus', handled.raw, { flags: ['\\Seen'] });
      await dovecot.deliver('gus', waiting.raw);
      const channelId = await createChannel(t, 'gus');
      started(startImap(t.services));
      const rows = await waitForMails(t.database, channelId, 1);
      expect(rows.map((r) => r.message_id_header)).toEqual([waiting.messageId]);
      const later = customerMail('Later', 'A new one.');
      await dovecot.deliver('gus', later.raw);
      expect((await waitForMails(t.database, channelId, 2)).map((r) => r.message_id_header)).toEqual([waiting.messageId, later.messageId]);
    } finally {
      await cleanup();
    }
  });

  it('leaves a mail that is not readable unread, says why, and goes on with the next ones', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'ike');
      started(startImap(t.services));
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status.state).toBe('connected'), { timeout: 10_000, interval: 100 });
      await dovecot.deliver('ike', 'Subject: no sender\r\nMessage-ID: <nofrom@customer.example>\r\n\r\nWho wrote this?\r\n');
      const good = customerMail('Readable', 'This one has a sender.');
      await dovecot.deliver('ike', good.raw);
      const rows = await waitForMails(t.database, channelId, 1);
      expect(rows[0].message_id_header).toBe(good.messageId);
      await vi.waitFor(async () => expect(await seen('ike')).toEqual([false, true]), { timeout: 5000, interval: 100 });
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status).toMatchObject({ state: 'connected', last_error: expect.stringMatching(/UID 1\) could not be imported and was left unread: .*no From/) }), {
        timeout: 5000,
        interval: 100,
      });
    } finally {
      await cleanup();
    }
  });

  it('after a restart imports only the mails that came since, never one twice', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'ben');
      const first = started(startImap(t.services));
      const before = customerMail('Invoice', 'Please send the invoice again.');
      await dovecot.deliver('ben', before.raw);
      await waitForMails(t.database, channelId, 1);
      await first.tasks.stop();

      // Another process on the same database: new services, new connections, a new lease owner.
      const handle = openSecondHandle(dialect, t.location);
      opened.push(() => handle.close());
      const again = createServices({ database: handle, config: { llm: null } });
      started(startImap(again));
      const after = customerMail('Invoice, again', 'Did you see my first mail?');
      await dovecot.deliver('ben', after.raw);

      const rows = await waitForMails(t.database, channelId, 2);
      expect(rows.map((r) => r.message_id_header)).toEqual([before.messageId, after.messageId]);
      await vi.waitFor(async () => expect(await seen('ben')).toEqual([true, true]), { timeout: 5000, interval: 100 });
      const uidvalidity = String(await dovecot.uidValidity('ben'));
      const position = () => t.database.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirstOrThrow();
      await vi.waitFor(async () => expect(await position()).toMatchObject({ mailbox: 'INBOX', last_uid: 2, uidvalidity }), { timeout: 5000, interval: 100 });
    } finally {
      await cleanup();
    }
  });

  it('when the mailbox is renumbered (a new UIDVALIDITY), imports the new mails and none of the old again', async () => {
    try {
      const t = await fresh();
      await dovecot.recreateMailbox('cy', 'Support');
      const channelId = await createChannel(t, 'cy', { mailbox: 'Support' });
      const imap = started(startImap(t.services));
      const old = [customerMail('One', 'First question.'), customerMail('Two', 'Second question.')];
      for (const mail of old) await dovecot.deliver('cy', mail.raw, { mailbox: 'Support' });
      await waitForMails(t.database, channelId, 2);
      await imap.tasks.stop();

      // The folder is made again (as a server migration does): the old mails come back under new
      // UIDs from 1, unread, beside one new mail; the position kept says UID 2 of another UIDVALIDITY.
      await dovecot.recreateMailbox('cy', 'Support');
      for (const mail of old) await dovecot.deliver('cy', mail.raw, { mailbox: 'Support' });
      const fresher = customerMail('Three', 'A third question.');
      await dovecot.deliver('cy', fresher.raw, { mailbox: 'Support' });
      const second = started(startImap(t.services));

      const rows = await waitForMails(t.database, channelId, 3);
      expect(rows.map((r) => r.message_id_header).sort()).toEqual([...old.map((m) => m.messageId), fresher.messageId].sort());
      await vi.waitFor(async () => expect(await seen('cy', 'Support')).toEqual([true, true, true]), { timeout: 5000, interval: 100 });

      // A UIDVALIDITY changed in place (same UIDs) while no process read it: the next mail still comes in, once.
      await second.tasks.stop();
      await dovecot.setUidValidity('cy', 'Support', 4242);
      const fourth = customerMail('Four', 'A fourth question.');
      await dovecot.deliver('cy', fourth.raw, { mailbox: 'Support' });
      started(startImap(t.services));
      const after = await waitForMails(t.database, channelId, 4);
      expect(after.map((r) => r.message_id_header)).toContain(fourth.messageId);
      const position = () => t.database.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirstOrThrow();
      await vi.waitFor(async () => expect(await position()).toMatchObject({ mailbox: 'Support', uidvalidity: '4242', last_uid: 4 }), { timeout: 5000, interval: 100 });
    } finally {
      await cleanup();
    }
  }, 45_000);

  it('shows a refused sign-in as failing without the password, keeps going, and connects once the password is right', async () => {
    try {
      const t = await fresh();
      const wrong = 'not-the-password-42';
      const channelId = await createChannel(t, 'dee', { password: wrong });
      const imap = started(startImap(t.services));
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status.state).toBe('failing'), { timeout: 10_000, interval: 100 });
      const failing = (await channelOf(t, channelId)).status;
      expect(failing.last_error).toMatch(/refused the sign-in of dee/);
      expect(failing.last_error).not.toContain(wrong);
      expect(JSON.stringify(await channelOf(t, channelId))).not.toContain(wrong);

      const fixed = await api(t, 'PATCH', `/api/v1/channels/${channelId}`, {
        config: {
          address: 'support@shop.example',
          smtp: { host: '127.0.0.1', port: 2525, secure: false },
          imap: { host: dovecot.host, port: dovecot.port, secure: false, user: 'dee', password: password('dee') },
        },
      });
      expect(fixed.status, fixed.text).toBe(200);
      // The next tick sees the change; running it now rather than waiting for it.
      await imap.run();
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status.state).toBe('connected'), { timeout: 10_000, interval: 100 });
      // The last error stays for admins to read, with its time.
      expect((await channelOf(t, channelId)).status).toMatchObject({ last_error: failing.last_error, last_error_at: failing.last_error_at });

      const mail = customerMail('Hello', 'Now it works.');
      await dovecot.deliver('dee', mail.raw);
      await waitForMails(t.database, channelId, 1);
    } finally {
      await cleanup();
    }
  });

  it('picks a mail up through IDLE within seconds while connected', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'eve');
      started(startImap(t.services));
      // Connected and done with its first read; the next poll is 30 s away.
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status.state).toBe('connected'), { timeout: 10_000, interval: 100 });
      const mail = customerMail('Quick one', 'Are you open on Sunday?');
      const sent = Date.now();
      await dovecot.deliver('eve', mail.raw);
      await waitForMails(t.database, channelId, 1, 10_000);
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await cleanup();
    }
  });

  it('connects again when the server drops the connection, and goes on', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'jo');
      started(startImap(t.services));
      const first = customerMail('Before', 'Before the drop.');
      await dovecot.deliver('jo', first.raw);
      await waitForMails(t.database, channelId, 1);
      await dovecot.kick('jo');
      const second = customerMail('After', 'After the drop.');
      await dovecot.deliver('jo', second.raw);
      const rows = await waitForMails(t.database, channelId, 2);
      expect(rows.map((r) => r.message_id_header)).toEqual([first.messageId, second.messageId]);
      expect((await channelOf(t, channelId)).status.state).toBe('connected');
    } finally {
      await cleanup();
    }
  });

  it("waits out the lease of a process that died holding it, then reads the mailbox", async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'kim');
      // A process that took the lease and died: nobody renews it, and it lapses in 2 s.
      const until = new Date(Date.now() + 2000).toISOString();
      await t.database.db
        .insertInto('email_mailboxes')
        .values({ channel_id: channelId, account_id: t.workspace.accountId, mailbox: 'INBOX', uidvalidity: null, last_uid: 0, locked_by: 'dead-process', locked_until: until, updated_at: until })
        .execute();
      const receiver = createImapReceiver({
        mailboxes: createEmailMailboxesRepository({ db: t.database.db }),
        channels: t.services.repos.channels,
        receive: (channel, raw) => t.services.emailInbound.receiveRaw(channel, raw, 'imap'),
        timing: { leaseRetryMs: 200 },
      });
      opened.push(() => receiver.stop());
      await receiver.sync();
      const mail = customerMail('Anyone?', 'Is anybody reading?');
      await dovecot.deliver('kim', mail.raw);
      await sleepUntil(Date.parse(until) - 500);
      expect(await importedMails(t.database, channelId)).toHaveLength(0);
      expect(receiver.watching()).toEqual([]);
      await waitForMails(t.database, channelId, 1);
      expect(receiver.watching()).toEqual([channelId]);
    } finally {
      await cleanup();
    }
  });

  it('stops reading a channel that is deactivated, and forgets a deleted one', async () => {
    try {
      const t = await fresh();
      const channelId = await createChannel(t, 'fay');
      const imap = started(startImap(t.services));
      await vi.waitFor(async () => expect((await channelOf(t, channelId)).status.state).toBe('connected'), { timeout: 10_000, interval: 100 });
      expect((await api(t, 'PATCH', `/api/v1/channels/${channelId}`, { active: false })).status).toBe(200);
      await imap.run();
      const mail = customerMail('Anyone there?', 'Hello?');
      await dovecot.deliver('fay', mail.raw);
      // Nothing reads it now: it stays unread, and nothing is imported.
      await imap.run();
      expect(await seen('fay')).toEqual([false]);
      expect(await importedMails(t.database, channelId)).toHaveLength(0);

      // Active again: it goes on from where it was, so the mail that came meanwhile comes in.
      expect((await api(t, 'PATCH', `/api/v1/channels/${channelId}`, { active: true })).status).toBe(200);
      await imap.run();
      await waitForMails(t.database, channelId, 1);

      expect((await api(t, 'DELETE', `/api/v1/channels/${channelId}`)).status).toBe(204);
      await imap.run();
      expect(await t.database.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).execute()).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});

describe.skipIf(skipReason !== null || !DIALECTS.includes('postgres'))('inbound mail by IMAP in two processes on PostgreSQL', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot([{ user: 'hal', password: 'hal-secret' }]);
  });
  afterAll(async () => dovecot?.stop());

  /** A process's reader as tasks.ts makes it, named, and asking for a free lease every 200 ms. */
  const reader = (services: Services, owner: string) =>
    createImapReceiver({
      owner,
      mailboxes: createEmailMailboxesRepository({ db: services.database.db }),
      channels: services.repos.channels,
      receive: (channel, raw) => services.emailInbound.receiveRaw(channel, raw, 'imap'),
      timing: { leaseRetryMs: 200 },
    });

  it('imports each of five mails exactly once, read by one process at a time, the other taking over when it stops', async () => {
    const t = await createTestApp('postgres');
    const handle = openSecondHandle('postgres', t.location);
    const a = reader(t.services, 'process-a');
    const b = reader(createServices({ database: handle, config: { llm: null } }), 'process-b');
    try {
      const created = await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', {
        name: 'Support mail',
        type: 'email',
        config: {
          address: 'support@shop.example',
          smtp: { host: '127.0.0.1', port: 2525, secure: false },
          imap: { host: dovecot.host, port: dovecot.port, secure: false, user: 'hal', password: 'hal-secret' },
        },
      });
      const channelId = created.body.data.id;
      // Both processes start reading the channel at the same moment.
      await Promise.all([a.sync(), b.sync()]);
      const holder = async () =>
        (await t.database.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirstOrThrow()).locked_by;
      await vi.waitFor(async () => expect(await holder()).not.toBeNull(), { timeout: 5000, interval: 50 });
      const mails = Array.from({ length: 5 }, (_, i) => customerMail(`Question ${i + 1}`, `Body ${i + 1}`));
      await Promise.all(mails.map((mail) => dovecot.deliver('hal', mail.raw)));

      const inbound = () =>
        t.database.db.selectFrom('email_messages').select('message_id_header').where('channel_id', '=', channelId).where('direction', '=', 'in').execute();
      await vi.waitFor(async () => expect(await inbound()).toHaveLength(5), { timeout: 15_000, interval: 100 });
      expect((await inbound()).map((r) => r.message_id_header).sort()).toEqual(mails.map((m) => m.messageId).sort());
      const messages = await t.database.db.selectFrom('messages').select('content').where('account_id', '=', t.workspace.accountId).where('role', '=', 'user').execute();
      expect(messages).toHaveLength(5);
      // Only one of them ever had the mailbox open.
      const first = await holder();
      expect([...a.watching(), ...b.watching()]).toEqual([channelId]);
      expect((first === 'process-a' ? a : b).watching()).toEqual([channelId]);

      // The holder stops (giving its lease up): the other goes on with the next mail.
      const [stopping, staying] = first === 'process-a' ? [a, b] : [b, a];
      await stopping.stop();
      await vi.waitFor(async () => expect(await holder()).toBe(first === 'process-a' ? 'process-b' : 'process-a'), { timeout: 5000, interval: 50 });
      const next = customerMail('Question 6', 'Body 6');
      await dovecot.deliver('hal', next.raw);
      await vi.waitFor(async () => expect(await inbound()).toHaveLength(6), { timeout: 15_000, interval: 100 });
      expect(staying.watching()).toEqual([channelId]);
      const position = await t.database.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirstOrThrow();
      expect(position.last_uid).toBe(6);
    } finally {
      await a.stop();
      await b.stop();
      await handle.close();
      await t.close();
    }
  }, 45_000);
});

describe.skipIf(skipReason !== null || !DIALECTS.includes('postgres'))('inbound mail by IMAP in two `parley serve` processes on PostgreSQL', () => {
  let dovecot: Dovecot;
  let db: TestDatabase;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;
  beforeAll(async () => {
    dovecot = await startDovecot([{ user: 'max', password: 'max-secret' }]);
    db = await openTestDatabase('postgres');
    // An empty database: the first process seeds the first workspace and prints its key.
    await db.database.db.schema.dropSchema('public').cascade().execute();
    await db.database.db.schema.createSchema('public').execute();
    a = await startServe({ DATABASE_URL: db.location });
    b = await startServe({ DATABASE_URL: db.location });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.cleanup();
    await dovecot?.stop();
  });

  it('imports each mail once, and both processes end their connections when stopped', async () => {
    const headers = { authorization: `Bearer ${a!.apiKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${a!.url}/api/v1/channels`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Support mail',
        type: 'email',
        config: {
          address: 'support@shop.example',
          smtp: { host: '127.0.0.1', port: 2525, secure: false },
          imap: { host: dovecot.host, port: dovecot.port, secure: false, user: 'max', password: 'max-secret' },
        },
      }),
    });
    expect(created.status).toBe(201);
    const channelId = ((await created.json()) as { data: { id: string } }).data.id;
    const mails = Array.from({ length: 5 }, (_, i) => customerMail(`Question ${i + 1}`, `Body ${i + 1}`));
    await Promise.all(mails.map((mail) => dovecot.deliver('max', mail.raw)));

    // Both processes find the channel at their next tick (every 10 s).
    const inbound = () => db.database.db.selectFrom('email_messages').select('message_id_header').where('channel_id', '=', channelId).where('direction', '=', 'in').execute();
    await vi.waitFor(async () => expect(await inbound()).toHaveLength(5), { timeout: 25_000, interval: 200 });
    expect((await inbound()).map((r) => r.message_id_header).sort()).toEqual(mails.map((m) => m.messageId).sort());
    const users = await db.database.db.selectFrom('messages').select('id').where('role', '=', 'user').execute();
    expect(users).toHaveLength(5);

    // SIGTERM: each process closes its IMAP connection and gives its lease up on the way out.
    expect(await a!.stop()).toBe(0);
    expect(await b!.stop()).toBe(0);
    const lease = await db.database.db.selectFrom('email_mailboxes').select(['locked_by', 'last_uid']).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(lease).toEqual({ locked_by: null, last_uid: 5 });
    await vi.waitFor(() => expect(dovecot.log()).toMatch(/imap\(max\).*Disconnected: Connection closed/), { timeout: 5000, interval: 100 });
  }, 60_000);
});
