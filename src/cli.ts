import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './shared/config/config.js';
import { createDatabase } from './shared/db/database.js';
import { migrateToLatest } from './shared/db/migrations/index.js';
import { createServices } from './services.js';
import { startServer } from './server.js';
import { isAppError } from './shared/errors/errors.js';
import { backupDatabase, restoreDatabase } from './modules/backup/backup.js';
import { holdDataDir, processesUsing } from './modules/backup/server-lock.js';

const HELP = `parley — AI agents that talk with your customers, and the people who take over

Usage:
  parley serve                         Run the server (same as npm start)
  parley workspace create --name NAME [--admin-email E] [--admin-password P] [--demo] [--json]
                                       Create a workspace with an admin, an AI agent and an API key
  parley keys create --agent ID [--name NAME] [--test] [--json]
                                       Issue an API key for an agent (the secret is shown once)
  parley keys revoke PREFIX            Revoke an API key by its prefix (or the whole key)
  parley migrate                       Apply pending database migrations
  parley backup FILE                   Copy the database to FILE while the server runs and writes
                                       (SQLite's online backup; pg_dump on PostgreSQL), and the
                                       attachments kept on disk to FILE.attachments
  parley restore FILE                  Replace the database with a backup made by "parley backup"
                                       (refused while a server uses PARLEY_DATA_DIR)
  parley --help                        Show this help

Environment:
  PORT (3000)  HOST (127.0.0.1)  PARLEY_DATA_DIR (./data)  DATABASE_URL (postgres://… for PostgreSQL)
  LOG_LEVEL (info)  PARLEY_LLM (builtin | openai-compatible | anthropic)  OPENAI_BASE_URL  OPENAI_API_KEY
  PARLEY_MODEL  ANTHROPIC_API_KEY
`;

class UsageError extends Error {}

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, sub] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === 'serve') return await serve(loadConfig());
    if (command === 'migrate') return await migrate(loadConfig());
    if (command === 'backup' || command === 'restore') return await backupOrRestore(command, loadConfig(), argv.slice(1));
    if (command === 'workspace' && sub === 'create') return await workspaceCreate(loadConfig(), argv.slice(2));
    if (command === 'keys' && sub === 'create') return await keysCreate(loadConfig(), argv.slice(2));
    if (command === 'keys' && sub === 'revoke') return await keysRevoke(loadConfig(), argv.slice(2));
    throw new UsageError(`unknown command: ${argv.join(' ')}`);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`parley: invalid configuration: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`parley: ${err.message}\nRun "parley --help" for usage.\n`);
      return 2;
    }
    if (isAppError(err)) {
      process.stderr.write(`parley: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function withServices<T>(config: Config, fn: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const database = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database);
    return await fn(createServices({ database, config }));
  } finally {
    await database.close();
  }
}

async function serve(config: Config): Promise<number> {
  // Marks the data directory as in use, so that "parley restore" refuses to replace the database
  // under this server; and no server starts while a restore is replacing it.
  const restoring = processesUsing(config.dataDir).find((p) => p.kind === 'restore');
  if (restoring) throw new UsageError(`a restore (pid ${restoring.pid}) is replacing the database in ${config.dataDir}: start the server once it is done`);
  let hold = { release: () => {} };
  try {
    hold = holdDataDir(config.dataDir, 'server');
  } catch {
    // A data directory that cannot be written: start-up says so in its own words just below.
  }
  const server = await startServer(config).catch((err: unknown) => {
    hold.release();
    throw err;
  });
  const ws = server.firstWorkspace;
  const lines = [`Parley is running at ${server.url}  (API docs: ${server.url}/docs)`];
  if (server.metricsUrl) lines.push(`Metrics (Prometheus) at ${server.metricsUrl}`);
  if (ws) {
    lines.push(
      '',
      'A first workspace was created with a demo AI agent. Shown once — keep these:',
      `  Admin login:  ${ws.admin_email} / ${ws.admin_password}`,
      `  Agent id:     ${ws.agent_id}`,
      `  API key:      ${ws.api_key}`,
      '',
      `  Try the chat widget: ${server.url}/demo`,
      `  Try: curl -s ${server.url}/api/v1/agents -H "Authorization: Bearer ${ws.api_key}"`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.app.log.info({ signal }, 'shutting down');
      server
        .stop()
        .finally(() => hold.release())
        .then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

async function backupOrRestore(command: 'backup' | 'restore', config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`${command} needs one FILE`);
  const target = { databaseUrl: config.databaseUrl, dataDir: config.dataDir, attachmentsBucket: config.attachments.s3?.bucket };
  const done = command === 'backup' ? await backupDatabase(target, positionals[0]) : await restoreDatabase(target, positionals[0]);
  process.stdout.write(`${done}.\n`);
  return 0;
}

async function migrate(config: Config): Promise<number> {
  const database = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date.\n');
    return 0;
  } finally {
    await database.close();
  }
}

async function workspaceCreate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      demo: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.name?.trim()) throw new UsageError('workspace create needs --name NAME');
  const email = values['admin-email'];
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--admin-email is not an email address');
  const password = values['admin-password'];
  if (password !== undefined && password.length < 8) throw new UsageError('--admin-password must be at least 8 characters');
  const ws = await withServices(config, (s) =>
    s.workspaces.create({ name: values.name!.trim(), adminEmail: email, adminPassword: password, demo: values.demo }),
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(ws)}\n`);
  } else {
    process.stdout.write(
      [
        `Workspace "${values.name}" created (account ${ws.account_id}).`,
        `  Admin login: ${ws.admin_email} / ${ws.admin_password}`,
        `  Agent id:    ${ws.agent_id}`,
        `  API key:     ${ws.api_key}   (shown once)`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

async function keysCreate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      agent: { type: 'string' },
      name: { type: 'string' },
      test: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const agentId = values.agent?.trim();
  if (!agentId) throw new UsageError('keys create needs --agent ID');
  const key = await withServices(config, async (s) => {
    const agent = await s.repos.agents.findAnyById(agentId);
    if (!agent) throw new UsageError(`no agent with id ${agentId}`);
    return s.apiKeys.create(agent.account_id, agent.id, { name: values.name, mode: values.test ? 'test' : 'live' });
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ id: key.id, agent_id: key.agent_id, prefix: key.prefix, api_key: key.secret })}\n`);
  } else {
    process.stdout.write(`API key for agent ${key.agent_id} (shown once):\n  ${key.secret}\nPrefix (to revoke): ${key.prefix}\n`);
  }
  return 0;
}

async function keysRevoke(config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const prefix = positionals[0];
  if (!prefix) throw new UsageError('keys revoke needs the key prefix');
  const revoked = await withServices(config, (s) => s.apiKeys.revoke(prefix));
  if (!revoked) {
    process.stderr.write(`parley: no active key with prefix ${prefix}\n`);
    return 1;
  }
  process.stdout.write(`Revoked ${prefix}\n`);
  return 0;
}
