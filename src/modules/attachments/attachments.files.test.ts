import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAttachmentsConfig } from '../../shared/config/config.js';
import { cleanFilename, contentDisposition, detectContentType } from './attachments.files.js';
import { createDiskStore, newStorageKey } from './attachments.store.js';

describe('attachment settings', () => {
  it('defaults to 25 MB on disk, and reads a bucket with its keys (falling back to AWS_*)', () => {
    expect(parseAttachmentsConfig({})).toEqual({ maxBytes: 25 * 1024 * 1024, s3: null });
    expect(parseAttachmentsConfig({ PARLEY_MAX_ATTACHMENT_MB: '0.5' }).maxBytes).toBe(512 * 1024);
    expect(parseAttachmentsConfig({ PARLEY_S3_BUCKET: 'files', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }).s3).toEqual({
      bucket: 'files',
      endpoint: null,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    expect(parseAttachmentsConfig({ PARLEY_S3_BUCKET: 'files', PARLEY_S3_REGION: 'eu-central-1' }).s3).toMatchObject({ region: 'eu-central-1', credentials: null });
  });

  it('refuses settings that cannot work, in one sentence', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ PARLEY_MAX_ATTACHMENT_MB: 'lots' }, /PARLEY_MAX_ATTACHMENT_MB must be a number of megabytes/],
      [{ PARLEY_MAX_ATTACHMENT_MB: '0' }, /above 0/],
      [{ PARLEY_MAX_ATTACHMENT_MB: '-3' }, /PARLEY_MAX_ATTACHMENT_MB/],
      [{ PARLEY_S3_ENDPOINT: 'http://127.0.0.1:9000' }, /PARLEY_S3_ENDPOINT is set but PARLEY_S3_BUCKET is not/],
      [{ PARLEY_S3_BUCKET: 'files', PARLEY_S3_ENDPOINT: 'minio:9000' }, /PARLEY_S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/],
      [{ PARLEY_S3_BUCKET: 'files', PARLEY_S3_ACCESS_KEY_ID: 'only-one' }, /go together/],
    ];
    for (const [env, message] of cases) {
      expect(() => parseAttachmentsConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => parseAttachmentsConfig(env)).toThrow(message);
    }
  });
});

describe('attachment files', () => {
  it('detects the type from the bytes alone', async () => {
    expect(await detectContentType(Buffer.from('plain words, ünïcode\n'))).toBe('text/plain');
    expect(await detectContentType(Buffer.alloc(0))).toBe('text/plain');
    expect(await detectContentType(Buffer.from('text with a \u0000 NUL'))).toBe('application/octet-stream');
    expect(await detectContentType(Buffer.from([0xc3, 0x28, 0x41]))).toBe('application/octet-stream');
    expect(await detectContentType(Buffer.from('<!DOCTYPE html><title>x</title>'))).toBe('text/html');
    expect(await detectContentType(Buffer.from('<!-- hi --><svg viewBox="0 0 1 1"></svg>'))).toBe('image/svg+xml');
    expect(await detectContentType(Buffer.from('<?xml version="1.0"?><note/>'))).toBe('application/xml');
    expect(await detectContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('keeps a clean filename: no path, no control or direction characters, at most 200 characters', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\ana\\report.pdf')).toBe('report.pdf');
    expect(cleanFilename('in\u0000voice\r\n.txt')).toBe('invoice.txt');
    expect(cleanFilename('photo\u202egnp.exe')).toBe('photognp.exe');
    expect(cleanFilename('')).toBe('file');
    expect(cleanFilename(undefined)).toBe('file');
    expect(cleanFilename('..')).toBe('file');
    expect(cleanFilename('dir/')).toBe('file');
    const long = cleanFilename(`${'a'.repeat(300)}.pdf`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(Array.from(cleanFilename('😀'.repeat(250)))).toHaveLength(200);
  });

  it('names the file for download in ASCII and exactly (RFC 5987)', () => {
    expect(contentDisposition('image/png', 'a "b".png')).toBe(`inline; filename="a _b_.png"; filename*=UTF-8''a%20%22b%22.png`);
    expect(contentDisposition('text/html', "l'été.html")).toBe(`attachment; filename="l'_t_.html"; filename*=UTF-8''l%27%C3%A9t%C3%A9.html`);
  });
});

describe('the disk store', () => {
  it('writes through a temp file, reads back, forgets missing files quietly, and refuses keys it did not make', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    try {
      const store = createDiskStore(dir);
      const key = newStorageKey();
      expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
      expect(await store.get(key)).toBeNull();
      await store.put(key, Buffer.from('bytes'));
      expect((await store.get(key))?.toString()).toBe('bytes');
      expect(fs.readdirSync(path.join(dir, key.slice(0, 2)))).toEqual([key.slice(3)]);
      await store.delete(key);
      await store.delete(key);
      expect(await store.get(key)).toBeNull();
      for (const bad of ['../x', '/etc/passwd', 'ab/../../x', 'AB/0123']) {
        await expect(store.get(bad)).rejects.toThrow(/not an attachment storage key/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
