import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { diskStoreDir, isStorageKey } from '../attachments/attachments.store.js';
import { describeProcess, holdDataDir, processesUsing } from './server-lock.js';

/**
 * `parley backup FILE` and `parley restore FILE` (cli.ts).
 *
 * SQLite: SQLite's online backup API copies the database page by page from a read transaction, so
 * the copy is the database as of one moment (every write committed before it, none after) while
 * the server goes on reading and writing: in WAL mode a reader never blocks a writer. All the
 * pages are copied in one step, so a write between steps cannot make the copy start over. The
 * copy is checked (`PRAGMA integrity_check`), marked as a Parley backup (a `parley_backup` table:
 * when, from which migration) and only then renamed to FILE, so a FILE that exists is complete.
 *
 * PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too), restored with `pg_restore`.
 * When pg_dump is not installed, the command says so rather than writing anything.
 *
 * Restore refuses while a server uses the data directory (server-lock.ts), or, on PostgreSQL,
 * while any other connection is open to the database (a server elsewhere holds one for LISTEN).
 * The database it replaces is kept beside it (SQLite) or replaced in one transaction (PostgreSQL).
 *
 * Attachments' bytes are not in the database. Kept on disk (no bucket), they are copied after the
 * database into a folder beside FILE, `FILE.attachments`, in the store's own layout; restore copies
 * back those missing from the data directory. A file is never changed once stored (its key is
 * random and new for each upload), so copying them after the database's moment is consistent: the
 * folder holds every file the database refers to, except one deleted (erased) while the backup
 * ran, plus perhaps a few uploaded meanwhile, which nothing refers to. Kept in a bucket, they are
 * the bucket's to back up, and the command says so.
 */

export class BackupError extends Error {}

export interface BackupTarget {
  /** postgres://… for PostgreSQL; null/undefined: SQLite in dataDir. */
  databaseUrl?: string | null;
  dataDir: string;
  /** The bucket attachments are kept in (PARLEY_S3_BUCKET); null/undefined: on disk under dataDir. */
  attachmentsBucket?: string | null;
}

const SQLITE_FILE = 'parley.db';
const SQLITE_MAGIC = 'SQLite format 3\0';
const PG_MAGIC = 'PGDMP';

/** Makes a backup of the database into `file` (which must not exist yet); returns a sentence saying what was done. */
export async function backupDatabase(target: BackupTarget, file: string): Promise<string> {
  const out = path.resolve(file);
  if (fs.existsSync(out)) throw new BackupError(`${out} already exists: choose another file name, or delete it first`);
  if (!fs.existsSync(path.dirname(out))) throw new BackupError(`the folder ${path.dirname(out)} does not exist`);
  const files = attachmentsBeside(out);
  if (fs.existsSync(files)) throw new BackupError(`${files} already exists: choose another file name, or delete it first`);
  const partial = `${out}.partial-${process.pid}`;
  const partialFiles = `${files}.partial-${process.pid}`;
  try {
    const summary = target.databaseUrl ? await dumpPostgres(target.databaseUrl, partial) : await copySqlite(target.dataDir, partial);
    // After the database: every file it refers to is already stored (see above).
    const copied = target.attachmentsBucket ? null : copyAttachments(diskStoreDir(target.dataDir), partialFiles);
    if (copied && copied.files > 0) fs.renameSync(partialFiles, files);
    fs.renameSync(partial, out);
    const attachments = target.attachmentsBucket
      ? `; attachments are kept in the bucket ${target.attachmentsBucket}, which this does not copy: back it up with your provider's tools (versioning, replication)`
      : copied && copied.files > 0
        ? `, and ${plural(copied.files, 'attachment file')} (${megabytes(copied.bytes)}) to ${files}`
        : '';
    return `${summary} to ${out} (${megabytes(fs.statSync(out).size)})${attachments}`;
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(partialFiles, { recursive: true, force: true });
  }
}

/** Replaces the database with the backup in `file`; returns a sentence saying what was done. */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<string> {
  const from = path.resolve(file);
  const kind = backupKind(from);
  const dialect = target.databaseUrl ? 'postgres' : 'sqlite';
  if (kind !== dialect) {
    throw new BackupError(
      kind === 'postgres'
        ? `${from} is a PostgreSQL backup: set DATABASE_URL to the database to restore it into`
        : `${from} is a SQLite backup: unset DATABASE_URL to restore it into PARLEY_DATA_DIR`,
    );
  }
  refuseWhileUsed(target.dataDir);
  const hold = holdDataDir(target.dataDir, 'restore');
  try {
    // A server that started between the check and the hold is seen now.
    refuseWhileUsed(target.dataDir);
    const restored = target.databaseUrl ? await restorePostgres(target.databaseUrl, from) : restoreSqlite(target.dataDir, from);
    return restored + restoreAttachments(target, attachmentsBeside(from));
  } finally {
    hold.release();
  }
}

function refuseWhileUsed(dataDir: string): void {
  const using = processesUsing(dataDir);
  if (using.length > 0) {
    throw new BackupError(
      `refusing to restore while ${using.map(describeProcess).join(' and ')} uses ${path.resolve(dataDir)}: stop it first`,
    );
  }
}

/** 'sqlite' | 'postgres' by the file's first bytes, or a refusal in plain words. */
function backupKind(file: string): 'sqlite' | 'postgres' {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    fs.closeSync(fd);
  } catch (err) {
    throw new BackupError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (head.toString('latin1') === SQLITE_MAGIC) return 'sqlite';
  if (head.subarray(0, PG_MAGIC.length).toString('latin1') === PG_MAGIC) return 'postgres';
  throw new BackupError(`${file} is not a Parley backup (neither a SQLite database nor a pg_dump archive)`);
}

// --- Attachments -------------------------------------------------------------------------------

const attachmentsBeside = (file: string) => `${file}.attachments`;

/** The store's files under `root`, by storage key (`3f/9c0e…`); temp files and strays are not. */
function storedKeys(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((dir) => dir.isDirectory())
    .flatMap((dir) => fs.readdirSync(path.join(root, dir.name), { withFileTypes: true }).filter((f) => f.isFile()).map((f) => `${dir.name}/${f.name}`))
    .filter(isStorageKey);
}

/**
 * Copies the store's files from `from` into `to`, skipping those already there (a stored file
 * never changes). Each is written beside its name and renamed, so `to` never holds half a file.
 * COPYFILE_FICLONE shares the blocks where the file system can (btrfs, XFS) and copies otherwise.
 */
function copyAttachments(from: string, to: string): { files: number; bytes: number; present: number } {
  const copied = { files: 0, bytes: 0, present: 0 };
  for (const key of storedKeys(from)) {
    const source = path.join(from, key);
    const target = path.join(to, key);
    if (fs.existsSync(target)) {
      copied.present += 1;
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    try {
      fs.copyFileSync(source, temp, fs.constants.COPYFILE_FICLONE);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      // Deleted (erased) since the listing: nothing refers to it any more.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    fs.renameSync(temp, target);
    copied.files += 1;
    copied.bytes += fs.statSync(target).size;
  }
  return copied;
}

/** Copies a backup's attachments back into the data directory; returns the rest of the sentence. */
function restoreAttachments(target: BackupTarget, files: string): string {
  if (!fs.existsSync(files)) return '';
  if (target.attachmentsBucket) {
    return `; the backup's attachments in ${files} were not copied, since attachments are kept in the bucket ${target.attachmentsBucket}: upload any missing ones under the same keys (e.g. "aws s3 sync ${files} s3://${target.attachmentsBucket}")`;
  }
  const into = diskStoreDir(target.dataDir);
  const copied = copyAttachments(files, into);
  return `, and ${plural(copied.files, 'attachment file')} (${megabytes(copied.bytes)}) into ${path.resolve(into)}${copied.present > 0 ? ` (${copied.present} already there)` : ''}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

// --- SQLite -------------------------------------------------------------------------------------

async function copySqlite(dataDir: string, partial: string): Promise<string> {
  const source = path.join(dataDir, SQLITE_FILE);
  if (!fs.existsSync(source)) throw new BackupError(`there is no database at ${path.resolve(source)} (PARLEY_DATA_DIR) to back up`);
  const db = new SqliteDatabase(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Every page in one step: one read transaction, one moment.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new SqliteDatabase(partial);
  try {
    // One self-contained file: no WAL beside it.
    copy.pragma('journal_mode = DELETE');
    const migration = checkSqlite(copy, partial, false);
    copy.exec('create table parley_backup (created_at text not null, migration text not null)');
    copy.prepare('insert into parley_backup (created_at, migration) values (?, ?)').run(new Date().toISOString(), migration);
    return `Backed up the SQLite database ${path.resolve(source)} (migration ${migration})`;
  } finally {
    copy.close();
  }
}

/** Checks a copy's integrity and that it is Parley's; returns its last migration. */
function checkSqlite(db: SqliteDatabase.Database, file: string, needsMark: boolean): string {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw new BackupError(`${file} is damaged (integrity_check: ${String(integrity)})`);
  const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]));
  if (!tables.has('parley_migrations') || (needsMark && !tables.has('parley_backup'))) {
    throw new BackupError(`${file} is a SQLite database but not a Parley backup (made by "parley backup")`);
  }
  const last = db.prepare('select name from parley_migrations order by name desc limit 1').pluck().get() as string | undefined;
  if (!last) throw new BackupError(`${file} holds no Parley schema`);
  return last;
}

function restoreSqlite(dataDir: string, from: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const live = path.join(dataDir, SQLITE_FILE);
  const incoming = `${live}.restoring-${process.pid}`;
  fs.copyFileSync(from, incoming);
  let made: string;
  try {
    const db = new SqliteDatabase(incoming, { fileMustExist: true });
    try {
      checkSqlite(db, from, true);
      made = String(db.prepare('select created_at from parley_backup').pluck().get());
      db.exec('drop table parley_backup');
    } finally {
      db.close();
    }
  } catch (err) {
    fs.rmSync(incoming, { force: true });
    throw err;
  }
  // The database replaced is kept, with its WAL, until someone deletes it.
  let kept = '';
  if (fs.existsSync(live)) {
    kept = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(live, kept);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(live + suffix)) fs.renameSync(live + suffix, kept + suffix);
    }
  }
  fs.renameSync(incoming, live);
  return `Restored the backup made ${made} into ${path.resolve(live)}${kept ? `; the database it replaced is kept as ${path.resolve(kept)}` : ''}`;
}

// --- PostgreSQL ---------------------------------------------------------------------------------

/** The URL without its password, which goes to the tools through PGPASSWORD (not the process list). */
function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new BackupError(
              `${tool} was not found on PATH: a PostgreSQL database is backed up and restored with PostgreSQL's own ${tool}. Install the PostgreSQL client tools of your server's version (e.g. "apt install postgresql-client"), or use your own backups (pg_basebackup, your host's snapshots)`,
            )
          : e,
      ),
    );
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new BackupError(`${tool} failed: ${err.trim() || `exit code ${code}`}`))));
  });
}

async function dumpPostgres(url: string, partial: string): Promise<string> {
  const { dbname, env } = pgConnection(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${dbname}`], env);
  await checkPgArchive(partial, env);
  return `Backed up the PostgreSQL database ${new URL(dbname).pathname.slice(1)} with pg_dump`;
}

async function checkPgArchive(file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const list = await run('pg_restore', ['--list', file], env);
  if (!/\bTABLE\b.*\bparley_migrations\b/.test(list)) {
    throw new BackupError(`${file} is a pg_dump archive but not of a Parley database (no parley_migrations table)`);
  }
}

async function restorePostgres(url: string, from: string): Promise<string> {
  const { dbname, env } = pgConnection(url);
  await checkPgArchive(from, env);
  // A server on another machine holds a connection open (LISTEN) for as long as it runs.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    const others = Number(rows[0].n);
    if (others > 0) {
      throw new BackupError(
        `refusing to restore while ${others} other connection${others === 1 ? ' is' : 's are'} open to the database (a Parley server?): stop it first`,
      );
    }
  } finally {
    await client.end();
  }
  await run(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, from],
    env,
  );
  return `Restored ${from} into the PostgreSQL database ${new URL(dbname).pathname.slice(1)} with pg_restore`;
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
