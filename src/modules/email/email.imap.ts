import { randomBytes } from 'node:crypto';
import { ImapFlow, type ImapFlowError, type MailboxObject } from 'imapflow';
import { isAppError } from '../../shared/errors/errors.js';
import type { Task } from '../../shared/tasks/tasks.js';
import type { ChannelRow, ChannelsRepository } from '../channels/channels.repository.js';
import { emailConfigOf, withoutSecrets, type EmailConfig, type ImapServer } from './email.config.js';
import type { EmailMailboxesRepository } from './email.mailboxes.repository.js';

/**
 * Reads the IMAP mailbox of every active email channel that has one, and imports each new mail
 * through `receive` (the same import as forwarded mail, idempotent by Message-ID).
 *
 * - One connection per mailbox, kept open: IDLE tells of new mail at once where the server has
 *   it, and a poll every `pollMs` catches what IDLE missed (or a server without it).
 * - Mails with a UID above the last one imported are read in UID order; each is imported, then
 *   marked \Seen, then the position advances. A crash in between imports it again, which the
 *   Message-ID makes harmless.
 * - UIDVALIDITY is kept with the position. On a mailbox never read before, or whose UIDVALIDITY
 *   changed (its UIDs renumbered), the UIDs say nothing: the unread mails of the last week are
 *   imported (every import marks its mail read, so the read ones were handled, or predate the
 *   channel; the Message-ID keeps any other from coming in twice) and the position starts again
 *   from the newest UID.
 * - With several processes, a lease per mailbox (email_mailboxes.locked_by/locked_until, renewed
 *   while the connection lives) lets one process at a time read it; another takes over once a
 *   dead process's lease lapses.
 * - The channel's status says connected after a successful read, failing with the error (never
 *   a password) when connecting, signing in or importing fails; it retries with backoff.
 */

export interface ImapTiming {
  /** The poll that backs IDLE up. */
  pollMs: number;
  /** How long a lease lasts unless renewed (it is renewed every third of it). */
  leaseMs: number;
  /** How often a process without the lease asks for it again. */
  leaseRetryMs: number;
  /** The first retry's delay after a failure; it doubles with each failure in a row. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long the connection rests before IDLE starts. */
  idleDelayMs: number;
  connectTimeoutMs: number;
}

export const IMAP_TIMING: ImapTiming = {
  pollMs: 30_000,
  leaseMs: 60_000,
  leaseRetryMs: 10_000,
  backoffMs: 2_000,
  maxBackoffMs: 60_000,
  idleDelayMs: 1_500,
  connectTimeoutMs: 20_000,
};

/**
 * A mailbox read for the first time (or renumbered) brings its unread mails of this many days,
 * not years of unread newsletters each becoming a conversation and a reply.
 */
const FIRST_READ_DAYS = 7;
/** A mail whose import failed this many times in a row is skipped, left unread in the mailbox. */
const MAX_ATTEMPTS = 5;
/** A connected status is written again at most this often while nothing changes. */
const STATUS_REFRESH_MS = 60_000;

export interface ImapReceiverDeps {
  mailboxes: EmailMailboxesRepository;
  channels: Pick<ChannelsRepository, 'recordStatus'>;
  /** Imports one raw mail into the channel; must be idempotent by Message-ID. */
  receive(channel: ChannelRow, raw: Buffer): Promise<unknown>;
  timing?: Partial<ImapTiming>;
  /** Names this process in leases (random by default). */
  owner?: string;
}

export interface ImapReceiver {
  /** Starts, restarts (changed settings) and stops mailbox readers to match the channels; returns the mails read since the last call. */
  sync(): Promise<number>;
  /** Closes every connection and gives the leases up. */
  stop(): Promise<void>;
  /** Channel ids being read by this process now (for tests and diagnostics). */
  watching(): string[];
}

interface Watcher {
  /** The settings it was started with: a change restarts it. */
  key: string;
  update(channel: ChannelRow): void;
  takeImported(): number;
  reading(): boolean;
  stop(): Promise<void>;
}

const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();
const leaseLost = () => Object.assign(new Error('another process has taken the lease on the mailbox'), { leaseLost: true });

/** A wake-up that can be waited for with a timeout; a wake-up with nobody waiting is kept for the next wait. */
function createSignal() {
  let pending = false;
  let resolveWait: (() => void) | null = null;
  return {
    poke() {
      pending = true;
      resolveWait?.();
    },
    clear() {
      pending = false;
    },
    wait(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolveWait = null;
          pending = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        resolveWait = done;
      });
    },
  };
}

/** The error in plain words for admins, without any password of the channel. */
function describeError(err: unknown, config: EmailConfig, imap: ImapServer): string {
  const e = (err ?? {}) as Partial<ImapFlowError>;
  const detail = (e.responseText || e.message || String(err)).trim();
  let text: string;
  if (e.authenticationFailed) text = `The IMAP server ${imap.host} refused the sign-in of ${imap.user}: ${detail}`;
  else if (e.mailboxMissing) text = `The mailbox "${imap.mailbox}" does not exist on ${imap.host}`;
  else if (e.tlsFailed) text = `Could not open a TLS connection to ${imap.host}:${imap.port}: ${detail}`;
  else text = `IMAP ${imap.host}:${imap.port}: ${detail}`;
  return withoutSecrets(text.slice(0, 500), config);
}

function watchMailbox(first: ChannelRow, config: EmailConfig, imap: ImapServer, deps: ImapReceiverDeps & { timing: ImapTiming; owner: string }): Watcher {
  const { mailboxes, timing, owner } = deps;
  let channel = first;
  let stopped = false;
  let client: ImapFlow | null = null;
  let imported = 0;
  let leased = false;
  let connectedWrittenAt = 0;
  const signal = createSignal();
  /** Failed imports per mail (`uidvalidity:uid`), to skip a mail that can never be imported. */
  const attempts = new Map<string, number>();

  const status = async (error: string | null) => {
    const at = new Date().toISOString();
    await deps.channels.recordStatus(channel.account_id, channel.id, error, at).catch(() => undefined);
    connectedWrittenAt = error === null ? Date.now() : 0;
  };

  const advance = async (uidvalidity: string, lastUid: number) => {
    const ok = await mailboxes.advance(channel.id, owner, { mailbox: imap.mailbox, uidvalidity, last_uid: lastUid }, new Date().toISOString(), isoIn(timing.leaseMs));
    if (!ok) throw leaseLost();
  };

  const uidsOf = async (c: ImapFlow, query: Parameters<ImapFlow['search']>[0], above: number): Promise<number[]> => {
    const found = await c.search(query, { uid: true });
    // `n:*` always matches the newest mail, even when its UID is below n.
    return (found || []).filter((uid) => uid > above).sort((a, b) => a - b);
  };

  /** Imports one mail and marks it read (one that can never be imported is left unread). */
  const importOne = async (c: ImapFlow, uidvalidity: string, uid: number): Promise<void> => {
    const message = await c.fetchOne(String(uid), { source: true }, { uid: true });
    // Gone meanwhile (expunged): nothing to import.
    if (!message || !message.source) return;
    const key = `${uidvalidity}:${uid}`;
    try {
      await deps.receive(channel, message.source);
      attempts.delete(key);
      imported++;
    } catch (err) {
      const tries = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, tries);
      const reason = err instanceof Error ? err.message : String(err);
      // Refused as not a mail, or too big: trying again cannot help.
      const refused = isAppError(err) && err.status >= 400 && err.status < 500 && err.status !== 409 && err.status !== 429;
      if (tries < MAX_ATTEMPTS && !refused) throw Object.assign(new Error(`A mail (UID ${uid}) could not be imported: ${reason}`), { cause: err });
      // A mail that never imports must not stop the ones after it: it stays unread for a person.
      attempts.delete(key);
      const tried = refused ? '' : ` after ${tries} tries`;
      await status(withoutSecrets(`A mail (UID ${uid}) could not be imported${tried} and was left unread: ${reason}`.slice(0, 500), config));
      return;
    }
    await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  };

  /** Imports what is new in the selected mailbox. */
  const pass = async (c: ImapFlow, box: MailboxObject) => {
    const uidvalidity = String(box.uidValidity);
    const state = await mailboxes.find(channel.id);
    let last = state?.last_uid ?? 0;
    if (!state || state.mailbox !== imap.mailbox || state.uidvalidity !== uidvalidity) {
      // Never read, or renumbered: import the recent unread mails, then go on from the newest UID.
      const newest = box.uidNext > 0 ? box.uidNext - 1 : Math.max(0, ...((await c.search({ all: true }, { uid: true })) || []));
      const since = new Date(Date.now() - FIRST_READ_DAYS * 86_400_000);
      const unread = newest >= 1 ? await uidsOf(c, { uid: `1:${newest}`, seen: false, since }, 0) : [];
      for (const uid of unread) {
        if (stopped) return;
        await importOne(c, uidvalidity, uid);
      }
      await advance(uidvalidity, newest);
      last = newest;
    }
    for (const uid of await uidsOf(c, { uid: `${last + 1}:*` }, last)) {
      if (stopped) return;
      await importOne(c, uidvalidity, uid);
      await advance(uidvalidity, uid);
    }
  };

  /** One connection: open, read, then wait for IDLE news or the poll, until it ends. */
  const session = async () => {
    const c = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user ?? '', pass: imap.password ?? '' },
      logger: false,
      connectionTimeout: timing.connectTimeoutMs,
      greetingTimeout: timing.connectTimeoutMs,
      autoIdleDelay: timing.idleDelayMs,
      clientInfo: { name: 'Parley' },
    });
    let failure: Error | null = null;
    let closed = false;
    // Emitted at most once, then the connection closes; without a listener it would crash the process.
    c.on('error', (err) => {
      failure = err;
      signal.poke();
    });
    c.on('close', () => {
      closed = true;
      signal.poke();
    });
    c.on('exists', (event) => {
      if (event.count > event.prevCount) signal.poke();
    });
    client = c;
    signal.clear();
    let renewal: NodeJS.Timeout | null = null;
    try {
      // Stopped while the lease was being taken: stop() found no connection to close.
      if (stopped) return;
      await c.connect();
      const box = await c.mailboxOpen(imap.mailbox);
      let lost = false;
      renewal = setInterval(() => {
        void mailboxes.lease(channel.id, owner, new Date().toISOString(), isoIn(timing.leaseMs)).then(
          (ok) => {
            if (!ok) {
              lost = true;
              c.close();
            }
          },
          () => undefined,
        );
      }, timing.leaseMs / 3);
      try {
        while (!stopped && !closed && !lost) {
          // A changed UIDVALIDITY re-opens the mailbox: the client keeps the current one.
          await pass(c, c.mailbox || box);
          if (connectedWrittenAt === 0 || Date.now() - connectedWrittenAt > STATUS_REFRESH_MS) await status(null);
          await signal.wait(timing.pollMs);
        }
      } catch (err) {
        // Closed under a command because another process took the lease: not the server's fault.
        throw lost ? leaseLost() : err;
      }
      if (lost) throw leaseLost();
      if (failure && !stopped) throw failure;
    } finally {
      if (renewal) clearInterval(renewal);
      client = null;
      c.close();
    }
  };

  const run = async () => {
    let failures = 0;
    while (!stopped) {
      leased = false;
      let delay = timing.leaseRetryMs;
      try {
        await mailboxes.ensure({ channel_id: channel.id, account_id: channel.account_id, mailbox: imap.mailbox }, new Date().toISOString());
        leased = await mailboxes.lease(channel.id, owner, new Date().toISOString(), isoIn(timing.leaseMs));
        if (leased) {
          await session();
          failures = 0;
          delay = timing.backoffMs;
        }
      } catch (err) {
        if (stopped) break;
        if ((err as { leaseLost?: boolean }).leaseLost) {
          delay = timing.leaseRetryMs;
        } else {
          failures++;
          delay = Math.min(timing.backoffMs * 2 ** (failures - 1), timing.maxBackoffMs);
          await status(describeError(err, config, imap));
        }
      } finally {
        // Given up between connections, so another process may go on at once.
        if (leased) await mailboxes.release(channel.id, owner).catch(() => undefined);
        leased = false;
      }
      if (!stopped) await signal.wait(delay);
    }
  };
  const running = run();

  return {
    key: JSON.stringify(imap),
    update(next) {
      channel = next;
    },
    takeImported() {
      const n = imported;
      imported = 0;
      return n;
    },
    reading: () => leased && client !== null,
    async stop() {
      stopped = true;
      signal.poke();
      client?.close();
      await running;
    },
  };
}

export function createImapReceiver(deps: ImapReceiverDeps): ImapReceiver {
  const timing = { ...IMAP_TIMING, ...deps.timing };
  const owner = deps.owner ?? `imap_${randomBytes(8).toString('hex')}`;
  const watchers = new Map<string, Watcher>();
  let stopped = false;
  let first = true;
  // Syncs run one at a time (the task's tick and a direct call may overlap).
  let queue: Promise<unknown> = Promise.resolve();

  const syncNow = async (): Promise<number> => {
    if (stopped) return 0;
    const wanted = new Map<string, { channel: ChannelRow; config: EmailConfig; imap: ImapServer }>();
    for (const channel of await deps.mailboxes.activeEmailChannels()) {
      let config: EmailConfig;
      try {
        config = emailConfigOf(channel);
      } catch {
        continue; // Unreadable settings: that channel alone is left out.
      }
      if (config.imap && config.imap.host && config.imap.user) wanted.set(channel.id, { channel, config, imap: config.imap });
    }
    let removed = first;
    first = false;
    const ending: Promise<void>[] = [];
    for (const [id, watcher] of watchers) {
      const want = wanted.get(id);
      if (!want || JSON.stringify(want.imap) !== watcher.key) {
        if (!want) removed = true;
        watchers.delete(id);
        ending.push(watcher.stop());
      }
    }
    await Promise.all(ending);
    if (stopped) return 0;
    for (const [id, want] of wanted) {
      const watcher = watchers.get(id);
      if (watcher) watcher.update(want.channel);
      else watchers.set(id, watchMailbox(want.channel, want.config, want.imap, { ...deps, timing, owner }));
    }
    if (removed) await deps.mailboxes.removeOrphans();
    let read = 0;
    for (const watcher of watchers.values()) read += watcher.takeImported();
    return read;
  };

  return {
    sync() {
      const next = queue.then(syncNow, syncNow);
      queue = next.catch(() => undefined);
      return next;
    },
    async stop() {
      stopped = true;
      await queue;
      const all = [...watchers.values()];
      watchers.clear();
      await Promise.all(all.map((w) => w.stop()));
    },
    watching: () => [...watchers.entries()].filter(([, w]) => w.reading()).map(([id]) => id),
  };
}

/**
 * The background task: every `intervalMs` it matches the readers to the channels (added, changed,
 * deactivated or deleted ones); the readers themselves run between ticks and end when the tasks stop.
 */
export function createImapTask(receiver: ImapReceiver, intervalMs = 10_000): Task {
  return { name: 'email-imap', intervalMs, run: () => receiver.sync(), stop: () => receiver.stop() };
}
