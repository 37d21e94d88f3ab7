import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp, type App } from '../src/app.js';
import type { Transaction } from 'kysely';
import { createDatabase, type Database, type DialectName } from '../src/shared/db/database.js';
import type { DB } from '../src/shared/db/schema.js';
import { migrateToLatest } from '../src/shared/db/migrations/index.js';
import { createServices, type Services } from '../src/services.js';
import type { AiProvider } from '../src/ai/provider.js';
import type { LlmConfig, S3Config } from '../src/shared/config/config.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL names a server we may create databases on. */
export const DIALECTS: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  database: Database;
  /** For SQLite, the data directory; for PostgreSQL, the database URL. */
  location: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database of the given dialect: a temp SQLite file, or a new PostgreSQL database. */
export async function openTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
    const database = createDatabase({ dataDir: dir });
    await migrateToLatest(database);
    return {
      database,
      location: dir,
      async cleanup() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = createDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrateToLatest(database);
  return {
    database,
    location: url.toString(),
    async cleanup() {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Another handle on a test database's storage (`TestDatabase.location`), with its own connection:
 * what another Parley process, or the CLI, sees and writes. Close it when done.
 */
export function openSecondHandle(dialect: DialectName, location: string): Database {
  return dialect === 'sqlite' ? createDatabase({ dataDir: location }) : createDatabase({ databaseUrl: location, poolSize: 2 });
}

export interface TestWorkspace {
  accountId: string;
  agentId: string;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
}

export interface TestApp {
  app: App;
  services: Services;
  database: Database;
  /** This app's PARLEY_DATA_DIR (attachments are under its `attachments` folder). */
  dataDir: string;
  /** For SQLite, the data directory; for PostgreSQL, the database URL (for a second connection). */
  location: string;
  workspace: TestWorkspace;
  /** Headers that authenticate as the workspace's API key. */
  auth: { authorization: string };
  /** Creates another workspace (another account) in the same database. */
  otherWorkspace(): Promise<TestWorkspace & { auth: { authorization: string } }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  aiProvider?: AiProvider;
  llm?: LlmConfig | null;
  /** Seed the demo knowledge base into the workspace's agent. */
  demo?: boolean;
  rateLimits?: { perKey: number; perIp: number };
  /** The largest attachment accepted (default 25 MB), and an S3-compatible bucket to keep files in (default: the app's own temp data dir). */
  attachments?: { maxBytes?: number; s3?: S3Config | null };
  /** GET /metrics: off unless a token (served by the app) or a host (counted, served elsewhere). */
  metrics?: { token: string | null; host: string | null };
}

/** The real app over a real, fresh database with one workspace (account, admin, agent, API key). */
export async function createTestApp(dialect: DialectName, options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await openTestDatabase(dialect);
  // Each app keeps its files in a data directory of its own, removed on close.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-data-'));
  const services = createServices({
    database: testDb.database,
    config: {
      llm: options.llm ?? null,
      dataDir,
      attachments: { maxBytes: options.attachments?.maxBytes ?? 25 * 1024 * 1024, s3: options.attachments?.s3 ?? null },
    },
    aiProvider: options.aiProvider,
  });
  const app = await buildApp({ services, rateLimits: options.rateLimits, metrics: options.metrics });
  await app.ready();
  const makeWorkspace = async (name: string, demo: boolean) => {
    const ws = await services.workspaces.create({
      name,
      adminEmail: `admin-${randomBytes(4).toString('hex')}@example.com`,
      adminPassword: 'correct horse battery staple',
      demo,
    });
    return {
      accountId: ws.account_id,
      agentId: ws.agent_id,
      apiKey: ws.api_key,
      adminEmail: ws.admin_email,
      adminPassword: ws.admin_password,
    };
  };
  const workspace = await makeWorkspace('Test workspace', options.demo ?? false);
  return {
    app,
    services,
    database: testDb.database,
    dataDir,
    location: testDb.location,
    workspace,
    auth: { authorization: `Bearer ${workspace.apiKey}` },
    async otherWorkspace() {
      const ws = await makeWorkspace('Other workspace', false);
      return { ...ws, auth: { authorization: `Bearer ${ws.apiKey}` } };
    },
    async close() {
      await app.close();
      await testDb.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `work` in a transaction and keeps that transaction open — its writes uncommitted, its row
 * locks held — until `commit()` is called: a change under way while another request runs
 * (PostgreSQL; on SQLite the one connection would make every other query wait for it).
 */
export async function holdTransaction(
  database: Database,
  work: (trx: Transaction<DB>) => Promise<unknown>,
): Promise<{ commit: () => Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let ran!: () => void;
  let failed!: (err: unknown) => void;
  const started = new Promise<void>((resolve, reject) => {
    ran = resolve;
    failed = reject;
  });
  const done = database.db.transaction().execute(async (trx) => {
    await work(trx);
    ran();
    await gate;
  });
  done.catch(failed);
  await started;
  return {
    async commit() {
      release();
      await done;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
