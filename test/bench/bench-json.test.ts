import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the benchmark small and fast; resolves with its exit code, stdout and stderr. */
function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'bench', 'main.ts'), ...args], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const CASES = ['messages_list', 'conversations_filter', 'inbox_list', 'conversations_search', 'contacts_find_or_create', 'messages_send_sync'];
const EXTRAS = ['page_depth_ratio', 'search_p95_ms', 'concurrent_streams', 'rss_per_stream_kb', 'idle_rss_mb', 'cold_start_ms', 'webhook_deliveries_per_s'];
/** The chat widget's extras (issue 14), on each database. */
const WIDGET_EXTRAS = ['widget_first_token_p50_ms', 'widget_first_token_p95_ms', 'widget_streams_rss_mb', 'widget_rss_per_stream_kb', 'widget_streams_idle_cpu_pct', 'widget_first_token_beside_streams_p50_ms'];
/** The email channel's extras, on each database: every mail taken in and answered by SMTP. */
const EMAIL_EXTRAS = ['email_inbound_per_s', 'email_inbound_p50_ms', 'email_answers_per_s', 'email_answer_p50_ms', 'email_answer_p95_ms'];
/** The greeting row runs in Chromium, and says null where it is not installed. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Issue 6's harness keeps its promise: `--json` prints exactly one JSON object with the machine,
 * a row per case and database, and the extras, every case answering without errors. A tiny data
 * set and one-second phases: this checks the harness works, not how fast Parley is.
 */
describe('npm run bench -- --json', () => {
  it('prints one JSON object with every case measured on each database, and the extras', async () => {
    const dbs = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
    const run = await runBench(['--json', '--scale', '1000', '--duration', '1', '--streams', '200', '--widget-streams', '200', '--connections', '4', '--db', dbs.join(',')]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]) as {
      machine: { cores: number; node: string; scale_messages: number };
      results: { name: string; db: string; rps: number; p50_ms: number; p99_ms: number; ratio_to_baseline: number | null; errors?: number }[];
      extras: Record<string, unknown> & { postgres?: Record<string, unknown> };
    };
    expect(report.machine).toMatchObject({ node: process.version, scale_messages: 1000 });
    expect(report.machine.cores).toBeGreaterThan(0);
    for (const db of dbs) {
      for (const name of CASES) {
        const row = report.results.find((r) => r.name === name && r.db === db);
        expect(row, `${name} on ${db}`).toBeDefined();
        expect(row!.rps).toBeGreaterThan(0);
        expect(row!.p99_ms).toBeGreaterThanOrEqual(row!.p50_ms);
        expect(row!.ratio_to_baseline).toBeGreaterThan(0);
        expect(row!.errors, `${name} on ${db} failed requests`).toBe(0);
      }
      expect(report.results.find((r) => r.name === 'stream_first_delta' && r.db === db)?.p50_ms).toBeGreaterThan(0);
      expect(report.results.find((r) => r.name === 'widget_first_token' && r.db === db)?.p50_ms).toBeGreaterThan(0);
      const extras = db === 'sqlite' ? report.extras : report.extras.postgres;
      for (const key of WIDGET_EXTRAS) expect(typeof extras?.[key], `${db} ${key}`).toBe('number');
      for (const key of EMAIL_EXTRAS) expect(typeof extras?.[key], `${db} ${key}`).toBe('number');
      expect(extras?.email_answers, `${db} email answers`).toBe(20);
      expect(extras?.widget_streams_open, `${db} widget streams`).toBe(200);
      if (fs.existsSync(CHROMIUM)) expect(extras?.widget_greeting_ms, `${db} widget_greeting_ms`).toBeGreaterThan(0);
      else expect(extras?.widget_greeting_ms).toBeNull();
    }
    for (const key of EXTRAS) expect(typeof report.extras[key], key).toBe('number');
    expect(report.extras.concurrent_streams).toBe(200);
    expect(report.extras.mixed_read_p99_ms).toEqual(expect.any(Number));
    if (dbs.includes('postgres')) {
      for (const key of ['page_depth_ratio', 'search_p95_ms', 'idle_rss_mb', 'cold_start_ms', 'webhook_deliveries_per_s']) {
        expect(typeof report.extras.postgres?.[key], `postgres ${key}`).toBe('number');
      }
    }
  }, 420_000);
});
