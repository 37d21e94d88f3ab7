import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from './helpers.js';
import { parseSse } from './http.js';

const BIN = path.resolve('bin/parley.js');

function runCli(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('the parley command', () => {
  it('prints help', () => {
    const res = runCli(['--help'], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/parley workspace create/);
  });

  it('rejects invalid configuration with one clear line and exit 1', () => {
    const envs: Array<Record<string, string>> = [
      { PORT: 'eighty' },
      { DATABASE_URL: 'mysql://x' },
      { LOG_LEVEL: 'loud' },
      { PARLEY_LLM: 'openai-compatible' },
    ];
    for (const env of envs) {
      const res = runCli(['serve'], env);
      expect(res.code, JSON.stringify(env)).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^parley: invalid configuration: /);
    }
  });

  it('rejects unknown commands and options with usage help', () => {
    expect(runCli(['frobnicate'], {}).code).toBe(2);
    expect(runCli(['workspace', 'create', '--nme', 'x'], {}).code).toBe(2);
  });
});

describe.each(DIALECTS)('the parley command on %s', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    env = dialect === 'sqlite' ? { PARLEY_DATA_DIR: db.location } : { DATABASE_URL: db.location };
    // The CLI opens the same files/database; release the test's own handle first on SQLite.
  });
  afterAll(async () => db.cleanup());

  it('creates a workspace and prints exactly one JSON object with --json, then manages keys', () => {
    const res = runCli(['workspace', 'create', '--name', 'Acme', '--admin-email', 'Boss@Acme.test', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const ws = JSON.parse(lines[0]) as Record<string, string>;
    expect(Object.keys(ws).sort()).toEqual(['account_id', 'admin_email', 'admin_password', 'agent_id', 'api_key'].sort());
    expect(ws.api_key).toMatch(/^sk_live_/);
    expect(ws.admin_email).toBe('boss@acme.test');
    expect(ws.admin_password.length).toBeGreaterThanOrEqual(16);

    const key = runCli(['keys', 'create', '--agent', ws.agent_id, '--json'], env);
    expect(key.code, key.stderr).toBe(0);
    const created = JSON.parse(key.stdout) as { api_key: string; prefix: string };
    expect(created.api_key.startsWith(created.prefix)).toBe(true);
    expect(runCli(['keys', 'revoke', created.prefix], env).code).toBe(0);
    expect(runCli(['keys', 'revoke', created.prefix], env).code).toBe(1);
    expect(runCli(['keys', 'create', '--agent', '00000000-0000-4000-8000-000000000000'], env).code).toBe(2);
    expect(runCli(['migrate'], env).stdout).toMatch(/up to date/);
  });

  it('serves: seeds the first workspace on an empty database, answers a streamed message, exits cleanly on SIGTERM', async () => {
    const fresh = await openTestDatabase(dialect);
    // An empty database: drop what openTestDatabase migrated so start-up seeds a first workspace.
    const freshEnv = dialect === 'sqlite' ? { PARLEY_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'parley-serve-')) } : { DATABASE_URL: fresh.location };
    if (dialect === 'postgres') {
      await fresh.database.db.schema.dropSchema('public').cascade().execute();
      await fresh.database.db.schema.createSchema('public').execute();
    }
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, ...freshEnv, PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const deadline = Date.now() + 30_000;
      while (!/API key:\s+sk_/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = /running at (http:\/\/\S+)/.exec(out)![1];
      const apiKey = /API key:\s+(sk_\S+)/.exec(out)![1];
      expect(out).toMatch(/Admin login:\s+\S+@\S+ \/ \S+/);
      const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const contact = await (await fetch(`${url}/api/v1/contacts`, { method: 'POST', headers, body: JSON.stringify({ email: 'walk@example.com' }) })).json();
      const conv = await (await fetch(`${url}/api/v1/conversations`, { method: 'POST', headers, body: JSON.stringify({ contact_id: contact.data.id }) })).json();
      const res = await fetch(`${url}/api/v1/conversations/${conv.data.id}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content: 'How long do I have to return something?', stream: true }),
      });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const events = parseSse(await res.text());
      expect(events.map((e) => e.event).at(-1)).toBe('stream.end');
      expect(String(events.at(-1)!.data.content)).toMatch(/\d+ days/);
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(0);
      await fresh.cleanup();
    }
  });
});
