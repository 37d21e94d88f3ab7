import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';

/**
 * A real IMAP server for tests: Debian's dovecot-imapd, started in a throwaway directory with its
 * own config, on a free loopback port, without TLS, with passwd-file users whose passwords are in
 * plain text, and maildirs under the directory. Each call starts its own server, so test files
 * running at the same time never share a port, a directory or a mailbox.
 *
 * `.ci/run` installs the package; elsewhere the tests that need it skip when it is missing, but
 * never under CI=true (see `dovecotMissing`).
 */

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const run = promisify(execFile);

/** Why IMAP tests cannot run here, or null. Under CI the server must be there: never a reason to skip. */
export function dovecotMissing(): string | null {
  if (fs.existsSync(DOVECOT) && fs.existsSync(DOVEADM)) return null;
  if (process.env.CI === 'true') throw new Error(`${DOVECOT} is missing: .ci/run installs dovecot-imapd, and CI never skips the IMAP tests`);
  return `${DOVECOT} is not installed (apt-get install dovecot-imapd): skipping the IMAP tests`;
}

export interface MailUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  users: MailUser[];
  /** The server's log, for a failing test's message. */
  log(): string;
  /** Delivers a mail the way a mail client would: IMAP APPEND. Returns its UID. */
  deliver(user: string, raw: string | Buffer, options?: { mailbox?: string; flags?: string[] }): Promise<number>;
  /** The flags of each message of a mailbox, by UID. */
  flags(user: string, mailbox?: string): Promise<Map<number, Set<string>>>;
  uidValidity(user: string, mailbox?: string): Promise<bigint>;
  /** Gives the mailbox a new UIDVALIDITY, keeping its messages and their UIDs (doveadm). */
  setUidValidity(user: string, mailbox: string, value: number): Promise<void>;
  /** Deletes the mailbox and creates it again: a new UIDVALIDITY, and UIDs from 1 again. */
  recreateMailbox(user: string, mailbox: string): Promise<void>;
  /** Drops the user's open connections, as a server restarting does. */
  kick(user: string): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (another server may still take it: starting retries). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something on the port sends an IMAP greeting. */
async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\n')) done(data.startsWith('* OK'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

interface Owner {
  uid: number;
  gid: number;
  root: boolean;
  /** Without root, the user and group every dovecot process runs as. */
  name: string;
  group: string;
}

const idOf = async (args: string[]) => Number((await run('id', args)).stdout.trim());

/**
 * Who the mail is stored as. Dovecot refuses mail access as root, so a root run stores it as
 * `nobody` (the maildirs are made theirs); anyone else runs the whole server as themselves.
 */
async function mailOwner(): Promise<Owner> {
  if (process.getuid?.() === 0) return { uid: await idOf(['-u', 'nobody']), gid: await idOf(['-g', 'nobody']), root: true, name: 'nobody', group: '' };
  const group = (await run('id', ['-gn'])).stdout.trim();
  return { uid: process.getuid!(), gid: process.getgid!(), root: false, name: os.userInfo().username, group };
}

function configText(dir: string, port: number, owner: Owner): string {
  const lines = [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `instance_name = parley-test-${path.basename(dir)}`,
    `log_path = ${dir}/dovecot.log`,
    `info_log_path = ${dir}/dovecot.log`,
    // Tests talk to it in clear text on loopback only.
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    // A wrong password is answered at once (the default waits 2 s, against guessing).
    'auth_failure_delay = 0',
    `mail_uid = ${owner.uid}`,
    `mail_gid = ${owner.gid}`,
    `first_valid_uid = ${Math.min(owner.uid, 500)}`,
    `first_valid_gid = ${Math.min(owner.gid, 500)}`,
    `mail_location = maildir:${dir}/mail/%u`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = ${dir}/passwd`,
    `  default_fields = home=${dir}/mail/%u`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
  ];
  // Without root: every process runs as the caller, and nothing can chroot.
  if (!owner.root) lines.push('  chroot =');
  lines.push('}');
  if (!owner.root) {
    lines.push(
      `default_internal_user = ${owner.name}`,
      `default_login_user = ${owner.name}`,
      `default_internal_group = ${owner.group}`,
      'service anvil {',
      '  chroot =',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

function writePasswd(file: string, users: MailUser[]): void {
  // name:password:uid:gid:gecos:home:shell — uid/gid come from mail_uid/mail_gid.
  fs.writeFileSync(file, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''), { mode: 0o644 });
}

/** Starts a throwaway dovecot; `users` default to alice/alice-secret and bob/bob-secret. */
export async function startDovecot(users: MailUser[] = [{ user: 'alice', password: 'alice-secret' }, { user: 'bob', password: 'bob-secret' }]): Promise<Dovecot> {
  const reason = dovecotMissing();
  if (reason) throw new Error(reason);
  const owner = await mailOwner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dovecot-'));
  // The login, auth and mail processes run as other users than root: they must reach the files.
  fs.chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  fs.chownSync(path.join(dir, 'mail'), owner.uid, owner.gid);
  writePasswd(path.join(dir, 'passwd'), users);
  const logFile = path.join(dir, 'dovecot.log');
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const conf = path.join(dir, 'dovecot.conf');

  let child: ChildProcess | null = null;
  let port = 0;
  let exited: Promise<void> = Promise.resolve();
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    fs.writeFileSync(conf, configText(dir, port, owner));
    // -F: in the foreground, as our child, so stopping it is a kill and a wait.
    const started = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const gone = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    let up = false;
    while (Date.now() < deadline && started.exitCode === null && started.signalCode === null) {
      if (await greets(port)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      child = started;
      exited = gone;
      break;
    }
    started.kill('SIGKILL');
    await gone;
    // The port was taken between choosing and binding: try another one.
    if (!/Address already in use/.test(stderr + log())) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start:\n${stderr}\n${log()}`);
    }
  }
  if (!child) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error('dovecot found no free port');
  }
  const master = child;
  // A test process that exits without stopping it must not leave it running.
  const killOnExit = () => master.kill('SIGKILL');
  process.once('exit', killOnExit);

  const session = async <T>(user: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: users.find((u) => u.user === user)?.password ?? '' }, logger: false, disableAutoIdle: true });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    host: '127.0.0.1',
    port,
    users,
    log,
    async deliver(user, raw, options = {}) {
      return session(user, async (client) => {
        const mailbox = options.mailbox ?? 'INBOX';
        const appended = await client.append(mailbox, typeof raw === 'string' ? Buffer.from(raw) : raw, options.flags ?? []);
        if (!appended || appended.uid === undefined) throw new Error(`APPEND to ${user}/${mailbox} failed`);
        return appended.uid;
      });
    },
    async flags(user, mailbox = 'INBOX') {
      return session(user, async (client) => {
        const out = new Map<number, Set<string>>();
        const lock = await client.getMailboxLock(mailbox, { readOnly: true });
        try {
          if (client.mailbox && client.mailbox.exists > 0) {
            for await (const m of client.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, m.flags ?? new Set());
          }
        } finally {
          lock.release();
        }
        return out;
      });
    },
    async uidValidity(user, mailbox = 'INBOX') {
      return session(user, async (client) => {
        const status = await client.status(mailbox, { uidValidity: true });
        if (!status || status.uidValidity === undefined) throw new Error(`no UIDVALIDITY for ${user}/${mailbox}`);
        return status.uidValidity;
      });
    },
    async setUidValidity(user, mailbox, value) {
      await run(DOVEADM, ['-c', conf, 'mailbox', 'update', '-u', user, '--uid-validity', String(value), mailbox]);
    },
    async kick(user) {
      await run(DOVEADM, ['-c', conf, 'kick', user]);
    },
    async recreateMailbox(user, mailbox) {
      await session(user, async (client) => {
        await client.mailboxDelete(mailbox).catch(() => undefined);
        await client.mailboxCreate(mailbox);
      });
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (master.exitCode === null && master.signalCode === null) {
        master.kill('SIGTERM');
        const timer = setTimeout(() => master.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
