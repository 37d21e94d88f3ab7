import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { parseAttachmentsConfig } from '../../shared/config/config.js';
import { createS3Store } from './attachments.store.js';
import { download, PNG, upload } from './attachments.test-support.js';

const BUCKET = 'parley-files';

/** Every object s3rver keeps in the bucket (its own metadata files aside). */
function objectsIn(dir: string): string[] {
  const root = path.join(dir, BUCKET);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('._S3rver_object'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Attachments in an S3-compatible bucket (several processes share it), against a real local S3 server. */
describe.each(DIALECTS)('attachments in an S3-compatible bucket on %s', (dialect) => {
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-s3-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
    // The settings as PARLEY_S3_* give them (s3rver takes its own fixed credentials).
    const { s3 } = parseAttachmentsConfig({
      PARLEY_S3_BUCKET: BUCKET,
      PARLEY_S3_ENDPOINT: endpoint,
      PARLEY_S3_ACCESS_KEY_ID: 'S3RVER',
      PARLEY_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    expect(s3).toMatchObject({ bucket: BUCKET, endpoint, region: 'us-east-1' });
    t = await createTestApp(dialect, { attachments: { maxBytes: 1024 * 1024, s3 } });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads into the bucket, downloads the same bytes, and deletes them with the contact', async () => {
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 's3@example.com' })).body.data.id;
    const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
    const binary = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));
    const res = await upload(t, `/api/v1/conversations/${conversation}/attachments`, [
      { filename: 'pixel.png', content: PNG },
      { filename: 'data.bin', content: binary },
    ]);
    expect(res.status).toBe(201);
    const [png, blob] = res.body.data!;
    expect(objectsIn(dir)).toHaveLength(2);
    // Nothing went to the data directory.
    expect(fs.existsSync(path.join(t.dataDir, 'attachments'))).toBe(false);
    const got = await download(t, png.url);
    expect(got.bytes.equals(PNG)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^inline;/);
    expect((await download(t, blob.url)).bytes.equals(binary)).toBe(true);
    expect((await api(t, 'POST', `/api/v1/conversations/${conversation}/messages`, { content: 'files', role: 'operator', attachment_ids: [png.id, blob.id] })).status).toBe(201);

    expect((await api(t, 'DELETE', `/api/v1/contacts/${contact}/conversations`)).status).toBe(204);
    expect(objectsIn(dir)).toEqual([]);
    expect((await download(t, png.url)).status).toBe(404);
  });

  it('reads a missing object as absent and deletes it without complaint', async () => {
    const store = createS3Store({ bucket: BUCKET, endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const key = `ab/${'0'.repeat(32)}`;
    expect(await store.get(key)).toBeNull();
    await store.delete(key);
    await store.put(key, Buffer.from('x'));
    expect((await store.get(key))?.toString()).toBe('x');
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await expect(store.get('../etc/passwd')).rejects.toThrow(/not an attachment storage key/);
  });
});
