import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real webhook receiver on loopback, written the way an integrator would write one: it checks
 * `Parley-Signature` with its own HMAC code (not Parley's), records every request, and answers as
 * each path is told to. Paths stand for endpoints, so one receiver serves a whole test file.
 */

/** How the receiver answers one request; requests beyond the script get 200. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** Wait this long before answering (longer than the sender's limit: a timeout). */
  delayMs?: number;
}

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  event: { id: number; type: string; created_at: string; data: Record<string, unknown> };
  /** The signature matched the path's secret, over the raw body, with a fresh timestamp. */
  verified: boolean;
  /** The status the receiver answered with. */
  answered: number;
}

export interface Receiver {
  port: number;
  url(path: string): string;
  received: ReceivedWebhook[];
  /** Requests to `path` so far. */
  at(path: string): ReceivedWebhook[];
  /** Queues answers for the next requests to `path`. */
  script(path: string, ...answers: Answer[]): void;
  /** The secret the signatures for `path` are checked against. */
  secret(path: string, secret: string): void;
  /** Stops listening (connections refused) until `start` again, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** What an integrator's check looks like: HMAC-SHA256 of "<t>.<body>" with the secret, and t within 5 minutes. */
export function verifyParleySignature(secret: string, header: string | undefined, body: string): boolean {
  if (!header) return false;
  const fields = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [k, v] = part.split('=');
    fields.set(k, [...(fields.get(k) ?? []), v]);
  }
  const t = Number(fields.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return (fields.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const scripts = new Map<string, Answer[]>();
  const secrets = new Map<string, string>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const answer = scripts.get(path)?.shift() ?? {};
      const status = answer.status ?? 200;
      let event: ReceivedWebhook['event'];
      try {
        event = JSON.parse(body) as ReceivedWebhook['event'];
      } catch {
        event = { id: -1, type: 'unparseable', created_at: '', data: {} };
      }
      const secret = secrets.get(path);
      const signature = req.headers['parley-signature'];
      received.push({
        path,
        headers: req.headers,
        body,
        event,
        verified: secret !== undefined && verifyParleySignature(secret, typeof signature === 'string' ? signature : undefined, body),
        answered: status,
      });
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(status >= 400 ? `receiver says ${status}` : 'ok');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  const boundPort = await listen(port);
  return {
    port: boundPort,
    url: (path) => `http://127.0.0.1:${boundPort}${path}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    script: (path, ...answers) => scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    secret: (path, secret) => secrets.set(path, secret),
    stop,
    async start() {
      await listen(boundPort);
    },
    close: stop,
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}
