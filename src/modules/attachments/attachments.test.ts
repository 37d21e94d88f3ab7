import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { download, multipartBody, PNG, upload } from './attachments.test-support.js';

const LIMIT = 1024 * 1024;

/** Every file under the app's attachment folder (the store's own files, no temp ones). */
function storedFiles(t: TestApp): string[] {
  const root = path.join(t.dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(DIALECTS)('attachments over HTTP on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { attachments: { maxBytes: LIMIT } });
    admin = await login(t);
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'upload@example.com' })).body.data.id;
  });
  afterAll(async () => t.close());

  const newConversation = async (contact = contactId) =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
  const uploadTo = (conversationId: string, parts: Parameters<typeof upload>[2], headers?: Record<string, string>) =>
    upload(t, `/api/v1/conversations/${conversationId}/attachments`, parts, headers);

  it('stores uploaded files and serves the same bytes back, to the account’s keys and members', async () => {
    const id = await newConversation();
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const before = storedFiles(t).length;
    const res = await uploadTo(id, [
      { filename: 'pixel.png', content: PNG, type: 'image/png' },
      { filename: 'C:\\Users\\ana\\notes – März.txt', content: 'Grüße\n', type: 'text/plain' },
      { filename: 'blob.bin', content: binary },
    ]);
    expect(res.status).toBe(201);
    const [png, text, blob] = res.body.data!;
    expect(png).toMatchObject({ filename: 'pixel.png', content_type: 'image/png', size: PNG.length, url: `/api/v1/attachments/${png.id}` });
    expect(text).toMatchObject({ filename: 'notes – März.txt', content_type: 'text/plain', size: Buffer.byteLength('Grüße\n') });
    expect(blob).toMatchObject({ filename: 'blob.bin', content_type: 'application/octet-stream', size: binary.length });
    expect(storedFiles(t).length).toBe(before + 3);
    // Stored under random keys, never under the uploaded names.
    expect(storedFiles(t).some((f) => /pixel|notes|blob/.test(f))).toBe(false);

    const agent = await loginAsAgentMember(t, admin);
    for (const headers of [t.auth, admin.headers, agent.headers, { cookie: admin.cookie }]) {
      const got = await download(t, png.url, headers);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(PNG)).toBe(true);
    }
    expect((await download(t, blob.url)).bytes.equals(binary)).toBe(true);
    const gotText = await download(t, text.url);
    expect(gotText.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(gotText.headers['content-disposition']).toBe(`attachment; filename="notes _ M_rz.txt"; filename*=UTF-8''notes%20%E2%80%93%20M%C3%A4rz.txt`);
    expect(gotText.text).toBe('Grüße\n');
  });

  it('serves only raster images inline; HTML, SVG, PDF and unknown bytes download, whatever was declared', async () => {
    const id = await newConversation();
    const cases: Array<{ filename: string; content: Buffer | string; type: string; detected: string; inline: boolean }> = [
      { filename: 'a.png', content: PNG, type: 'image/png', detected: 'image/png', inline: true },
      { filename: 'b.jpg', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), type: 'image/jpeg', detected: 'image/jpeg', inline: true },
      { filename: 'c.gif', content: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), type: 'image/gif', detected: 'image/gif', inline: true },
      { filename: 'd.webp', content: Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14)]), type: 'image/webp', detected: 'image/webp', inline: true },
      { filename: 'evil.png', content: '<html><body><script>alert(document.cookie)</script></body></html>', type: 'image/png', detected: 'text/html', inline: false },
      { filename: 'logo.svg', content: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', type: 'image/svg+xml', detected: 'image/svg+xml', inline: false },
      { filename: 'bare.svg', content: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', type: 'image/png', detected: 'image/svg+xml', inline: false },
      { filename: 'invoice.pdf', content: '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', type: 'application/pdf', detected: 'application/pdf', inline: false },
      { filename: 'photo.jpg', content: Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xfe, 0xff, 0x00, 0x01]), type: 'image/jpeg', detected: 'application/octet-stream', inline: false },
    ];
    const res = await uploadTo(id, cases);
    expect(res.status).toBe(201);
    for (const [i, c] of cases.entries()) {
      const presented = res.body.data![i];
      expect(presented.content_type, c.filename).toBe(c.detected);
      const got = await download(t, presented.url);
      expect(got.status, c.filename).toBe(200);
      expect(got.headers['content-type'], c.filename).toBe(c.detected);
      expect(got.headers['x-content-type-options'], c.filename).toBe('nosniff');
      expect(got.headers['content-security-policy'], c.filename).toBe('sandbox');
      expect(String(got.headers['cache-control']), c.filename).toMatch(/^private/);
      const disposition = String(got.headers['content-disposition']);
      expect(disposition.startsWith(c.inline ? 'inline;' : 'attachment;'), `${c.filename}: ${disposition}`).toBe(true);
      expect(disposition).toContain(`filename*=UTF-8''${c.filename}`);
      expect(got.bytes.equals(Buffer.isBuffer(c.content) ? c.content : Buffer.from(c.content))).toBe(true);
    }
  });

  it('refuses what it cannot take in plain words: not multipart, no file, another field, an ended or unknown conversation', async () => {
    const id = await newConversation();
    const url = `/api/v1/conversations/${id}/attachments`;
    const json = await api(t, 'POST', url, { file: 'hello' });
    expect(json.status).toBe(400);
    expect(errorOf(json).message).toMatch(/multipart\/form-data/);
    const text = await t.app.inject({ method: 'POST', url, headers: { ...t.auth, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(400);
    const bare = await t.app.inject({ method: 'POST', url, headers: t.auth });
    expect(bare.statusCode).toBe(400);
    const fieldsOnly = multipartBody([], { note: 'no file here' });
    const none = await t.app.inject({ method: 'POST', url, headers: { ...t.auth, 'content-type': fieldsOnly.contentType }, payload: fieldsOnly.payload });
    expect(none.statusCode).toBe(400);
    expect(JSON.parse(none.body).error.message).toMatch(/No file was sent/);
    const wrongField = await uploadTo(id, [{ filename: 'a.txt', content: 'x', field: 'upload' }]);
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error?.message).toMatch(/field "file"/);
    const broken = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...t.auth, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated',
    });
    expect(broken.statusCode).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe('BAD_REQUEST');

    expect((await uploadTo('0190a0b0-0000-7000-8000-000000000000', [{ filename: 'a.txt', content: 'x' }])).status).toBe(404);
    expect((await uploadTo('not-a-uuid', [{ filename: 'a.txt', content: 'x' }])).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/end`, {})).status).toBe(200);
    const ended = await uploadTo(id, [{ filename: 'a.txt', content: 'x' }]);
    expect(ended.status).toBe(422);
    expect(ended.body.error?.message).toBe('Conversation has ended');
  });

  it('answers 413 in the error envelope above PARLEY_MAX_ATTACHMENT_MB, keeping none of the request’s files', async () => {
    const id = await newConversation();
    const before = storedFiles(t).length;
    const exact = await uploadTo(id, [{ filename: 'exact.bin', content: Buffer.alloc(LIMIT, 1) }]);
    expect(exact.status).toBe(201);
    expect(storedFiles(t).length).toBe(before + 1);
    const over = await uploadTo(id, [
      { filename: 'small.txt', content: 'fine' },
      { filename: 'big.bin', content: Buffer.alloc(LIMIT + 1, 1) },
    ]);
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than the limit of 1 MB', details: { max_bytes: LIMIT } });
    expect(storedFiles(t).length).toBe(before + 1);
    const eleven = await uploadTo(id, Array.from({ length: 11 }, (_, i) => ({ filename: `${i}.txt`, content: `file ${i}` })));
    expect(eleven.status).toBe(413);
    expect(eleven.body.error?.message).toBe('At most 10 files per upload');
    expect(storedFiles(t).length).toBe(before + 1);
    const ten = await uploadTo(id, Array.from({ length: 10 }, (_, i) => ({ filename: `${i}.txt`, content: `file ${i}` })));
    expect(ten.status).toBe(201);
    expect(ten.body.data).toHaveLength(10);
  });

  it('answers a refused upload over a real connection and still shuts down at once', async () => {
    const own = await createTestApp(dialect, { attachments: { maxBytes: 100 * 1024 } });
    try {
      const contact = (await api<{ data: { id: number } }>(own, 'POST', '/api/v1/contacts', { email: 'socket@example.com' })).body.data.id;
      const conversation = (await api<{ data: { id: string } }>(own, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
      await own.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = own.app.server.address() as AddressInfo;
      const { payload, contentType } = multipartBody([{ filename: 'big.bin', content: Buffer.alloc(2 * 1024 * 1024, 7) }]);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, method: 'POST', path: `/api/v1/conversations/${conversation}/attachments`, headers: { ...own.auth, 'content-type': contentType, 'content-length': payload.length } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
      // The rest of the body was read and dropped: the connection goes idle, and closing is quick.
      const started = Date.now();
      const sweep = setInterval(() => own.app.server.closeIdleConnections(), 50);
      await own.app.close().finally(() => clearInterval(sweep));
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await own.close();
    }
  });

  it('keeps files to their account: another account gets 404, no credential 401', async () => {
    const id = await newConversation();
    const file = (await uploadTo(id, [{ filename: 'secret.txt', content: 'secret' }])).body.data![0];
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    for (const headers of [other.auth, otherAdmin.headers]) {
      expect((await download(t, file.url, headers)).status).toBe(404);
      expect((await uploadTo(id, [{ filename: 'x.txt', content: 'x' }], headers)).status).toBe(404);
    }
    const none = await download(t, file.url, {});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).error.code).toBe('UNAUTHORIZED');
    expect((await download(t, file.url, { authorization: 'Bearer sk_live_nope' })).status).toBe(401);
    expect((await download(t, '/api/v1/attachments/0190a0b0-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await download(t, '/api/v1/attachments/not-a-uuid')).status).toBe(400);
    // A session cookie uploads only with its CSRF token.
    expect((await uploadTo(id, [{ filename: 'x.txt', content: 'x' }], { cookie: admin.cookie })).status).toBe(403);
    expect((await uploadTo(id, [{ filename: 'x.txt', content: 'x' }], admin.headers)).status).toBe(201);
  });

  it('deletes the files from storage when their conversations or their contact are deleted', async () => {
    const makeContact = async (email: string) => (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email })).body.data.id;
    const filesOf = async (contact: number) => {
      const conversation = await newConversation(contact);
      const sent = (await uploadTo(conversation, [{ filename: 'sent.txt', content: 'sent' }])).body.data![0];
      const unsent = (await uploadTo(conversation, [{ filename: 'unsent.txt', content: 'unsent' }])).body.data![0];
      expect((await api(t, 'POST', `/api/v1/conversations/${conversation}/messages`, { content: '', role: 'note', attachment_ids: [sent.id] })).status).toBe(201);
      return [sent, unsent];
    };
    const keeper = await makeContact('keeper@example.com');
    const kept = await filesOf(keeper);
    const count = storedFiles(t).length;

    const first = await makeContact('forget-conversations@example.com');
    const firstFiles = await filesOf(first);
    expect(storedFiles(t).length).toBe(count + 2);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${first}/conversations`)).status).toBe(204);
    expect(storedFiles(t).length).toBe(count);
    for (const f of firstFiles) expect((await download(t, f.url)).status).toBe(404);

    const second = await makeContact('forget-me@example.com');
    const secondFiles = await filesOf(second);
    // A file already gone from storage does not stop the deletion.
    const [row] = await t.services.attachments.rowsOf(t.workspace.accountId, [secondFiles[0].id]);
    fs.rmSync(path.join(t.dataDir, 'attachments', ...row.storage_key.split('/')));
    expect((await download(t, secondFiles[0].url)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${second}`, undefined, admin.headers)).status).toBe(204);
    expect(storedFiles(t).length).toBe(count);
    for (const f of secondFiles) expect((await download(t, f.url)).status).toBe(404);
    for (const f of kept) expect((await download(t, f.url)).status).toBe(200);
  });

  it('purges uploads that no message took within a day, and keeps sent ones', async () => {
    const id = await newConversation();
    const [sent, unsent] = (await uploadTo(id, [
      { filename: 'sent.txt', content: 'sent' },
      { filename: 'unsent.txt', content: 'unsent' },
    ])).body.data!;
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'see file', role: 'operator', attachment_ids: [sent.id] })).status).toBe(201);
    expect(await t.services.attachments.purgeUnattached(new Date(Date.now() + 23 * 3600_000))).toBe(0);
    const count = storedFiles(t).length;
    expect(await t.services.attachments.purgeUnattached(new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    expect(storedFiles(t).length).toBeLessThan(count);
    expect((await download(t, unsent.url)).status).toBe(404);
    expect((await download(t, sent.url)).status).toBe(200);
  });
});
