import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, hostOf, isPrivateAddress } from './webhooks.urls.js';

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface SendResult {
  /** A 2xx answer arrived within the time limit. */
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** How much of a failing answer's body is kept in `last_error`, to help whoever debugs the receiver. */
const ERROR_BODY_CHARS = 200;

function describeError(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const e = err as { code?: string; message?: string };
  if (e.code === 'EPRIVATE') return e.message ?? 'resolves to a private address';
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'connection reset';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'host not found';
  const message = e.message ?? String(err);
  return e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

/**
 * POSTs one webhook with node:http(s) rather than fetch: redirects are never followed (a 3xx is a
 * failure), and the connection's DNS answer is checked by `guardedLookup` against private networks
 * as the socket uses it. Never throws: every outcome is a result.
 */
export function sendWebhook({ url, body, headers, timeoutMs, allowPrivate }: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const host = hostOf(target);
  // An address in the URL itself is connected to without any lookup, so it is checked here.
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve({ ok: false, statusCode: null, error: `${host} is a private address`, durationMs: 0 });
  }
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate),
        // One connection per attempt: no pooled socket outlives its DNS check.
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          // Success is decided by the status line; the body is of no interest.
          res.destroy();
          return finish({ ok: true, statusCode: status, error: null });
        }
        const redirect = status >= 300 && status < 400;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.length >= ERROR_BODY_CHARS) res.destroy();
        });
        const done = () => {
          const excerpt = text.slice(0, ERROR_BODY_CHARS).replace(/\s+/g, ' ').trim();
          const error = redirect
            ? `HTTP ${status}: redirects are not followed${res.headers.location ? ` (to ${res.headers.location})` : ''}`
            : `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
          finish({ ok: false, statusCode: status, error });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    // One limit for the whole attempt: DNS, connecting, and the answer's status line.
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      finish({ ok: false, statusCode: null, error: describeError(null, true, timeoutMs) });
    }, timeoutMs);
    req.on('error', (err) => finish({ ok: false, statusCode: null, error: describeError(err, timedOut, timeoutMs) }));
    req.end(body);
  });
}
