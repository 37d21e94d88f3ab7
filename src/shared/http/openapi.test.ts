import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { OPERATIONS, TAGS } from './openapi-operations.js';

type Operation = { operationId?: string; description?: string; tags?: string[] };
type Document = { servers?: { url: string }[]; tags?: { name: string; description?: string }[]; paths: Record<string, Record<string, Operation>> };

const root = path.resolve(import.meta.dirname, '../../..');

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  const operations: { key: string; operation: Operation }[] = [];
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [p, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        operations.push({ key: `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`, operation });
      }
    }
  });
  afterAll(() => t.close());

  it('names every operation with a unique camelCase operationId from the list of operations', () => {
    const missing = operations.filter((o) => !o.operation.operationId).map((o) => o.key);
    expect(missing, 'add these routes to OPERATIONS in src/shared/http/openapi-operations.ts').toEqual([]);
    const ids = operations.map((o) => o.operation.operationId!);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('describes every operation', () => {
    const bare = operations.filter((o) => !o.operation.description?.trim()).map((o) => o.key);
    expect(bare, 'give these a description in OPERATIONS (or in their schema)').toEqual([]);
  });

  it('declares, with a description, every tag an operation uses', () => {
    const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    const untagged = operations.filter((o) => !o.operation.tags?.length).map((o) => o.key);
    expect(untagged).toEqual([]);
    const undeclared = operations.flatMap((o) => (o.operation.tags ?? []).filter((tag) => !declared.get(tag)).map((tag) => `${o.key}: ${tag}`));
    expect(undeclared, 'add the tag to TAGS in src/shared/http/openapi-operations.ts').toEqual([]);
    expect(Object.keys(TAGS).length).toBeGreaterThan(0);
  });

  it('has no line in the list of operations for a route that does not exist', () => {
    const documented = new Set(operations.map((o) => o.key));
    expect(Object.keys(OPERATIONS).filter((key) => !documented.has(key))).toEqual([]);
  });

  it('names the server it is served from', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
  });

  it("passes Spectral's OpenAPI ruleset with no errors and no warnings", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-spectral-'));
    try {
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify(document));
      const bin = path.join(root, 'node_modules', '.bin', 'spectral');
      const args = ['lint', file, '--ruleset', path.join(root, '.spectral.yaml'), '--format', 'json', '--quiet', '--fail-severity', 'hint'];
      // Spectral exits non-zero when it finds anything; the JSON on stdout says what.
      const out = await promisify(execFile)(bin, args, { maxBuffer: 64 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string }) => {
        if (!err.stdout) throw new Error(`spectral failed: ${err.stderr}`);
        return { stdout: err.stdout };
      });
      const results = JSON.parse(out.stdout || '[]') as { code: string; message: string; path: string[]; severity: number }[];
      const findings = results.filter((r) => r.severity <= 1).map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
      expect(findings).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
