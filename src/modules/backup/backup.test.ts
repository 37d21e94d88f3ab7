import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers.js';
import { startServe, type ServeProcess } from '../../../test/serve-process.js';
import { createPgDatabase } from '../../../test/faults/support.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.js';

const BIN = path.resolve('bin/parley.js');

/** Runs the real `parley` command; resolves to its exit code and output. */
function parley(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const emptyPostgres = () => createPgDatabase(process.env.TEST_DATABASE_URL!);

/** PostgreSQL's backups need its client tools (`parley backup` says so when they are missing). */
const PG_TOOLS = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;
const dialects = DIALECTS.filter((d) => d === 'sqlite' || PG_TOOLS);

describe.each(dialects)('backup and restore on %s', (dialect) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-'));
  const dataDir = path.join(tmp, 'data');
  const file = path.join(tmp, `parley-${dialect}.backup`);
  const drops: Array<() => Promise<void>> = [];
  let live: { url: string } | null = null;
  let server: ServeProcess;
  /** The first workspace's key, printed by the first server (the restored database keeps it). */
  let apiKey: string | null = null;
  const env = () => ({ PARLEY_DATA_DIR: dataDir, ...(live ? { DATABASE_URL: live.url } : {}) });

  beforeAll(async () => {
    if (dialect === 'postgres') {
      const db = await emptyPostgres();
      drops.push(db.drop);
      live = db;
    }
    server = await startServe(env());
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    for (const drop of drops) await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const call = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    apiKey ??= server.apiKey;
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('backs up while the server writes, and restores a database that holds every message acknowledged before, intact', async () => {
    const contact = (await call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email: 'backup@example.com' })).body.data.id;
    const conversations: string[] = [];
    for (let i = 0; i < 3; i++) {
      conversations.push((await call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact })).body.data.id);
    }
    // A file attached to the first conversation: its bytes live outside the database.
    const fileBytes = randomBytes(50_000);
    const form = new FormData();
    form.append('file', new Blob([fileBytes]), 'invoice.pdf');
    const uploaded = await fetch(`${server.url}/api/v1/conversations/${conversations[0]}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const attachment = ((await uploaded.json()) as { data: Array<{ url: string }> }).data[0];
    // Three writers post messages for as long as the test runs; each id is noted once acknowledged.
    const acknowledged: number[] = [];
    let writing = true;
    const writers = conversations.map(async (id, w) => {
      for (let i = 0; writing; i++) {
        const res = await call<{ data: { user_message: { id: number } } }>('POST', `/api/v1/conversations/${id}/messages`, { content: `writer ${w} message ${i}` });
        expect(res.status).toBe(201);
        acknowledged.push(res.body.data.user_message.id);
      }
    });
    try {
      await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(10);
      const before = [...acknowledged];
      const backup = await parley(['backup', file], env());
      expect(backup.err).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(dialect === 'sqlite' ? /Backed up the SQLite database/ : /with pg_dump/);
      expect(backup.out).toContain(`1 attachment file (0.0 MB) to ${file}.attachments`);
      // The server went on writing during the backup.
      const during = acknowledged.length - before.length;
      expect(during).toBeGreaterThan(0);

      // Restoring over the data directory of a running server is refused.
      const refused = await parley(['restore', file], env());
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('refusing to restore while a server');
      expect(refused.err).toContain(`pid ${server.child.pid}`);

      // Into a fresh data directory (and database): everything acknowledged before is there.
      const fresh = path.join(tmp, 'fresh');
      const target = dialect === 'postgres' ? await emptyPostgres() : null;
      if (target) drops.push(target.drop);
      const restored = await parley(['restore', file], { PARLEY_DATA_DIR: fresh, ...(target ? { DATABASE_URL: target.url } : {}) });
      expect(restored.err).toBe('');
      expect(restored.code).toBe(0);
      let ids: Set<number>;
      if (target) {
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        ids = new Set((await client.query<{ id: string }>('select id from messages')).rows.map((r) => Number(r.id)));
        expect((await client.query("select to_regclass('parley_backup') as t")).rows[0].t).toBeNull();
        await client.end();
      } else {
        const db = new SqliteDatabase(path.join(fresh, 'parley.db'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        ids = new Set(db.prepare('select id from messages').pluck().all() as number[]);
        expect(db.prepare("select name from sqlite_master where name = 'parley_backup'").get()).toBeUndefined();
        db.close();
      }
      expect(before.filter((id) => !ids.has(id))).toEqual([]);

      writing = false;
      await Promise.allSettled(writers);
      // The attachment came back with the database: a server on the restored data serves its bytes.
      expect(restored.out).toContain(`1 attachment file (0.0 MB) into ${path.join(fresh, 'attachments')}`);
      const second = await startServe({ PARLEY_DATA_DIR: fresh, ...(target ? { DATABASE_URL: target.url } : {}) });
      try {
        const got = await fetch(`${second.url}${attachment.url}`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(got.status).toBe(200);
        expect(Buffer.from(await got.arrayBuffer()).equals(fileBytes)).toBe(true);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      writing = false;
      await Promise.allSettled(writers);
    }
  }, 120_000);

  // The functions behind the command, called directly: starting the command costs seconds.
  const refusal = (work: Promise<unknown>) => work.then(() => '', (err: unknown) => (err instanceof BackupError ? err.message : `unexpected: ${String(err)}`));

  it('refuses a file that is not a Parley backup, in plain words', async () => {
    const junk = path.join(tmp, 'junk.bin');
    fs.writeFileSync(junk, randomBytes(4096));
    const other = { dataDir: path.join(tmp, 'other') };
    expect(await refusal(restoreDatabase(other, junk))).toContain('is not a Parley backup');
    const foreign = path.join(tmp, 'foreign.db');
    const db = new SqliteDatabase(foreign);
    db.exec('create table notes (body text)');
    db.close();
    expect(await refusal(restoreDatabase(other, foreign))).toContain('not a Parley backup');
    expect(await refusal(restoreDatabase(other, path.join(tmp, 'missing.backup')))).toContain('cannot read');
    expect(fs.existsSync(path.join(other.dataDir, 'parley.db'))).toBe(false);
    // An existing file is never overwritten by a backup.
    expect(await refusal(backupDatabase({ dataDir, databaseUrl: live?.url }, junk))).toContain('already exists');
    // Nor a folder of attachments beside it.
    const besideFolder = path.join(tmp, 'beside.backup');
    fs.mkdirSync(`${besideFolder}.attachments`);
    expect(await refusal(backupDatabase({ dataDir, databaseUrl: live?.url }, besideFolder))).toContain('.attachments already exists');
    expect(fs.existsSync(besideFolder)).toBe(false);
  });

  it('leaves attachments kept in a bucket to the bucket, and says so', async () => {
    const bucketed = path.join(tmp, 'bucketed.backup');
    const said = await backupDatabase({ dataDir, databaseUrl: live?.url, attachmentsBucket: 'parley-files' }, bucketed);
    expect(said).toContain('attachments are kept in the bucket parley-files, which this does not copy');
    expect(fs.existsSync(bucketed)).toBe(true);
    expect(fs.existsSync(`${bucketed}.attachments`)).toBe(false);
  });

  it('restores over the data directory once its server has stopped, past a stale pid file of a killed one', async () => {
    expect(await server.stop()).toBe(0);
    // The server removed its own pid file; a server killed with -9 leaves one behind.
    const run = path.join(dataDir, 'run');
    expect(fs.readdirSync(run)).toEqual([]);
    fs.writeFileSync(path.join(run, '2147483646.pid'), JSON.stringify({ pid: 2147483646, kind: 'server', started_at: new Date().toISOString() }));
    const target = { dataDir, databaseUrl: live?.url };
    if (dialect === 'postgres') {
      // On PostgreSQL a connection still open to the database (a server elsewhere) also refuses it.
      const client = new pg.Client({ connectionString: live!.url });
      await client.connect();
      const busy = await refusal(restoreDatabase(target, file));
      await client.end();
      expect(busy).toContain('other connection is open to the database');
    }
    const done = await restoreDatabase(target, file);
    expect(fs.readdirSync(run)).toEqual([]);
    if (dialect === 'sqlite') expect(done).toContain('the database it replaced is kept as');
    // The restored database serves again.
    server = await startServe(env());
    const listed = await call<{ data: unknown[] }>('GET', '/api/v1/contacts');
    expect(listed.status).toBe(200);
  }, 60_000);
});
