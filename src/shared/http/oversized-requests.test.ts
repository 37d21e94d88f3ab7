import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { multipartBody } from '../../modules/attachments/attachments.test-support.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request over a real socket, the body written while the server may already have answered:
 * resolves with the answer read to its end, rejects on any socket error (a reset, a broken pipe)
 * before then.
 */
function send(port: number, options: http.RequestOptions, body?: Buffer, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) {
      // In pieces, as a browser or curl sends a large body, so that the answer can come first.
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    }
    req.end();
  });
}

/**
 * A request as many HTTP clients send it (Python's requests, curl without Expect): the whole body
 * written first, the answer read only then. A server that answers early and closes makes the
 * write fail with a reset or a broken pipe, and the client never sees the answer.
 */
function sendWholeThenRead(port: number, head: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.pause();
    socket.write(Buffer.concat([Buffer.from(head), body]), (err) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return false;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? NaN);
        if (Buffer.byteLength(text.slice(end + 4)) < length) return false;
        const status = Number(text.slice(9, 12));
        socket.destroy();
        resolve({ status, headers: {}, body: text.slice(end + 4) });
        return true;
      };
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        done();
      });
      socket.on('end', () => done() || reject(new Error(`incomplete answer: ${Buffer.concat(chunks).toString('utf8')}`)));
      socket.resume();
    });
  });
}

/**
 * A client still sending its body when the answer comes (a slow link, a large body): part of the
 * body, then — once the server has answered — the rest, then a second request on the same
 * connection. Resolves with both answers; rejects if the connection is reset or closed first.
 */
function sendWhileAnswered(port: number, head: string, body: Buffer, split: number): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let stage = 0;
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`closed after: ${text.slice(0, 300)}`)));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const answers = text.split(/(?=HTTP\/1\.1 )/);
      if (stage === 0 && answers.length >= 1 && complete(answers[0]!)) {
        stage = 1;
        socket.write(body.subarray(split), () => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      } else if (stage === 1 && answers.length >= 2 && complete(answers[1]!)) {
        stage = 2;
        socket.removeAllListeners('end');
        socket.destroy();
        resolve([answers[0]!, answers[1]!]);
      }
    });
    socket.write(Buffer.concat([Buffer.from(head), body.subarray(0, split)]));
  });
}

function complete(answer: string): boolean {
  const end = answer.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(answer.slice(0, end))?.[1] ?? NaN);
  return Buffer.byteLength(answer.slice(end + 4)) >= length;
}

function bodyOf(answer: string) {
  return answer.slice(answer.indexOf('\r\n\r\n') + 4);
}

/** Raw bytes over a socket (for requests node:http would refuse to send): the whole answer the server wrote before closing. */
function sendRaw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(head);
  });
}

function envelope(text: string) {
  return (JSON.parse(text) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;
}

describe.each(DIALECTS)('requests too large for the server on %s', (dialect) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { attachments: { maxBytes: 1024 * 1024 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t.close());

  const threeMb = Buffer.alloc(3 * 1024 * 1024, 'a');
  const jsonBody = Buffer.from(JSON.stringify({ name: threeMb.toString('utf8') }));

  it('answers a JSON body over the limit with a whole 413 in the envelope, 20 times in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await send(port, { method: 'POST', path: '/api/v1/contacts', headers: { ...t.auth, 'content-type': 'application/json', 'content-length': jsonBody.length } }, jsonBody);
      expect(res.status).toBe(413);
      expect(envelope(res.body)).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large', details: {} });
    }
  });

  it('lets a client that writes its whole body before reading get the 413, 20 times in a row', async () => {
    const head = (length: number, type: string, path: string) =>
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${t.auth.authorization}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n`;
    for (let i = 0; i < 20; i++) {
      const res = await sendWholeThenRead(port, head(jsonBody.length, 'application/json', '/api/v1/contacts'), jsonBody);
      expect(res.status).toBe(413);
      expect(envelope(res.body).code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers a client still sending its body with a whole 413, and keeps its connection, 20 times in a row', async () => {
    const head = `POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${t.auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${jsonBody.length}\r\n\r\n`;
    for (let i = 0; i < 20; i++) {
      const [refused, next] = await sendWhileAnswered(port, head, jsonBody, 64 * 1024);
      expect(refused).toMatch(/^HTTP\/1\.1 413 /);
      expect(envelope(bodyOf(refused))).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large', details: {} });
      expect(next).toMatch(/^HTTP\/1\.1 200 /);
    }
  });

  it('answers a chunked body still being sent with a whole 413 too', async () => {
    const head = `POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${t.auth.authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunked = Buffer.concat([Buffer.from(`${jsonBody.length.toString(16)}\r\n`), jsonBody, Buffer.from('\r\n0\r\n\r\n')]);
    for (let i = 0; i < 20; i++) {
      const [refused, next] = await sendWhileAnswered(port, head, chunked, 1536 * 1024);
      expect(refused).toMatch(/^HTTP\/1\.1 413 /);
      expect(envelope(bodyOf(refused)).code).toBe('PAYLOAD_TOO_LARGE');
      expect(next).toMatch(/^HTTP\/1\.1 200 /);
    }
  });

  it('answers a chunked JSON body that grows over the limit with a whole 413, 20 times in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await send(port, { method: 'POST', path: '/api/v1/contacts', headers: { ...t.auth, 'content-type': 'application/json' } }, jsonBody);
      expect(res.status).toBe(413);
      expect(envelope(res.body).code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('keeps a kept-alive connection usable after a 413', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await send(port, { method: 'POST', path: '/api/v1/contacts', headers: { ...t.auth, 'content-type': 'application/json', 'content-length': jsonBody.length } }, jsonBody, agent);
        expect(res.status).toBe(413);
        const ok = await send(port, { method: 'GET', path: '/api/v1/contacts', headers: t.auth }, undefined, agent);
        expect(ok.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('answers an upload of 3 MB over a 1 MB attachment limit with a whole 413, 20 times in a row', async () => {
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: {} });
    const conv = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: t.auth, payload: { contact_id: contact.json().data.id } });
    const { payload, contentType } = multipartBody([{ filename: 'big.bin', content: threeMb }]);
    for (let i = 0; i < 20; i++) {
      const res = await send(port, { method: 'POST', path: `/api/v1/conversations/${conv.json().data.id}/attachments`, headers: { ...t.auth, 'content-type': contentType, 'content-length': payload.length } }, payload);
      expect(res.status).toBe(413);
      expect(envelope(res.body).code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers headers too large with a whole 431 in the envelope, 20 times in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await send(port, { method: 'GET', path: '/api/v1/contacts', headers: { ...t.auth, 'x-filler': 'x'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(envelope(res.body)).toMatchObject({ code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', details: {} });
    }
  });

  it('answers a URL too large with a whole 431 in the envelope, 20 times in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await send(port, { method: 'GET', path: `/api/v1/contacts?q=${'x'.repeat(20_000)}`, headers: t.auth });
      expect(res.status).toBe(431);
      expect(envelope(res.body)).toMatchObject({ code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', details: {} });
    }
  });

  it('answers a request it cannot parse with a 400 in the envelope', async () => {
    const text = await sendRaw(port, 'GET /api/v1/contacts HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(envelope(text.slice(text.indexOf('\r\n\r\n') + 4)).code).toBe('BAD_REQUEST');
  });
});
