// The email channel's rows of `npm run bench`: how fast forwarded mail is taken in, and how long a
// customer waits from sending a mail to the AI's answer arriving at a mail server.
//
// An email channel is created through the API with its SMTP server pointing at a real SMTP
// server (the npm `smtp-server`) in this process. Each mail is a new customer's first mail,
// posted as raw RFC 822 to `POST /channels/{id}/inbound` (the route mail providers forward to).
// The server stores it, its AI reply is written by the replies worker and sent by the channel
// worker over SMTP; the answer is matched to its question by In-Reply-To. First a burst (the
// mails CONCURRENCY at a time: intake rate and answers per second), then mails one at a time,
// each waiting for its answer (what one customer waits for).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { log, median, quantile, round, sleep } from './common.js';

const CONCURRENCY = 10;
/** Mails sent one at a time after the burst, each waiting for its answer. */
const SINGLE_MAILS = 20;
const QUESTIONS = ['What is your return policy?', 'Do you ship abroad?', 'How long do refunds take?', 'Can I change my delivery address?', 'What is the warranty on a laptop?'];

export interface EmailExtras {
  /** Forwarded mails accepted per second (202), CONCURRENCY in flight. */
  email_inbound_per_s: number | null;
  email_inbound_p50_ms: number | null;
  email_inbound_p99_ms: number | null;
  /** Answers of the burst arrived per second, from its first mail to its last answer. */
  email_answers_per_s: number | null;
  /** Answers of the burst that arrived (of the mails sent). */
  email_answers: number;
  /** One mail at a time: from posting it to its AI answer arriving at the SMTP server. */
  email_answer_p50_ms: number | null;
  email_answer_p95_ms: number | null;
}

function post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A customer's first mail: plain text, its own Message-ID. */
function mail(i: number, run: string): { raw: string; messageId: string } {
  const messageId = `bench-${run}-${i}@customer.example`;
  const raw = [
    `From: "Customer ${i}" <customer${i}.${run}@customer.example>`,
    'To: support@bench.example',
    `Subject: Question ${i}`,
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    QUESTIONS[i % QUESTIONS.length],
    '',
    '--',
    `Customer ${i}`,
    '',
  ].join('\r\n');
  return { raw, messageId };
}

/** Sends `count` mails through a new email channel of the server at `url`, and times them and their answers. */
export async function emailBench(url: string, apiKey: string, count: number, db: string): Promise<EmailExtras> {
  const answered = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No reverse DNS of each client (127.0.0.1): that is the receiving server's time, not Parley's.
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 8192) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const inReplyTo = /^In-Reply-To:\s*<([^>]+)>/im.exec(head)?.[1];
        if (inReplyTo && !answered.has(inReplyTo)) {
          answered.set(inReplyTo, performance.now());
          waiting.get(inReplyTo)?.();
        }
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  try {
    const created = await post(
      `${url}/api/v1/channels`,
      { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      JSON.stringify({
        name: 'Support mail',
        type: 'email',
        config: { address: 'support@bench.example', from_name: 'Bench Support', smtp: { host: '127.0.0.1', port: smtpPort, secure: false } },
      }),
    );
    if (created.status !== 201) throw new Error(`create the email channel: ${created.status} ${created.body.slice(0, 300)}`);
    const channel = (JSON.parse(created.body) as { data: { id: string; inbound_token: string } }).data;
    const run = randomBytes(4).toString('hex');
    const mails = Array.from({ length: count }, (_, i) => mail(i, run));
    const postedAt = new Map<string, number>();
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < mails.length) {
          const m = mails[next++];
          const t0 = performance.now();
          postedAt.set(m.messageId, t0);
          const res = await post(
            `${url}/api/v1/channels/${channel.id}/inbound`,
            { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.inbound_token },
            m.raw,
          );
          latencies.push(performance.now() - t0);
          if (res.status !== 202) {
            failed++;
            if (failed === 1) log(`${db} email inbound: ${res.status} ${res.body.slice(0, 300)}`);
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const deadline = performance.now() + 60_000;
    while (answered.size < count - failed && performance.now() < deadline) await sleep(50);
    const burst = mails.filter((m) => answered.has(m.messageId));
    const lastAnswer = Math.max(...burst.map((m) => answered.get(m.messageId)!));

    // One at a time: each mail's answer is awaited before the next is sent.
    const waits: number[] = [];
    for (let i = 0; i < SINGLE_MAILS; i++) {
      const m = mail(count + i, run);
      const arrived = new Promise<void>((resolve) => waiting.set(m.messageId, resolve));
      const t0 = performance.now();
      const res = await post(
        `${url}/api/v1/channels/${channel.id}/inbound`,
        { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.inbound_token },
        m.raw,
      );
      if (res.status !== 202) throw new Error(`email inbound: ${res.status} ${res.body.slice(0, 300)}`);
      const timeout = sleep(30_000).then(() => 'timeout' as const);
      if ((await Promise.race([arrived, timeout])) === 'timeout') throw new Error(`no answer to ${m.messageId} within 30 s`);
      waits.push(answered.get(m.messageId)! - t0);
    }
    const extras: EmailExtras = {
      email_inbound_per_s: failed === count ? null : round((count - failed) / elapsed, 1),
      email_inbound_p50_ms: round(median(latencies), 1),
      email_inbound_p99_ms: round(quantile(latencies, 0.99), 1),
      email_answers_per_s: burst.length > 1 ? round(burst.length / ((lastAnswer - started) / 1000), 1) : null,
      email_answers: burst.length,
      email_answer_p50_ms: round(median(waits), 0),
      email_answer_p95_ms: round(quantile(waits, 0.95), 0),
    };
    log(
      `${db} email: ${count - failed}/${count} mails taken in, ${extras.email_inbound_per_s} mails/s (p50 ${extras.email_inbound_p50_ms} ms, p99 ${extras.email_inbound_p99_ms} ms); ` +
        `${burst.length} AI answers by SMTP, ${extras.email_answers_per_s} answers/s; one mail at a time, mail → answer p50 ${extras.email_answer_p50_ms} ms, p95 ${extras.email_answer_p95_ms} ms`,
    );
    return extras;
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
}
