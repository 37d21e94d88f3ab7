// The website chat widget's rows of `npm run bench` (issue 14): the launcher click to the greeting
// painted (Chromium), a visitor's Enter to the first streamed token, and idle visitor streams.
//
// Visitors are made the way the widget makes them, through the visitor API of the running server:
// `POST /widget/sessions` with the channel's public key, then `POST /widget/conversations`. The
// server lets one address start 120 sessions a minute, and it reads the address from the socket
// (Fastify's trustProxy is off, so no header can fake one). Loopback is a whole /8 on Linux, so
// the bench connects from 127.1.x.y, at most 100 visitors per address: the limit stays in force,
// and 10,000 visitors come from 100 addresses, as 10,000 visitors behind a hundred networks would.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { cpuMs, holdStreams, log, median, quantile, round, startParley, type HeldStreams, type Server } from './common.js';

export interface WidgetChannel {
  publicKey: string;
  greeting: string;
}

/** A visitor of the widget: its token and its own conversation. */
export interface Visitor {
  token: string;
  conversationId: string;
  /** Messages sent so far (the server allows 20 a minute per visitor). */
  sent: number;
}

const GREETING = 'Hi! Ask me anything about orders, shipping or returns.';
/** The visitor questions, as typed into the widget. */
const QUESTIONS = ['What is your return policy?', 'Do you ship abroad?', 'How long do refunds take?', 'Can I change my delivery address?', 'What is the warranty on a laptop?'];
/** Below the server's 20 messages a minute per visitor, counting every message a run sends. */
const MESSAGES_PER_VISITOR = 19;
/** Below the server's 120 sessions a minute per address. */
const VISITORS_PER_ADDRESS = 100;

interface Answer {
  status: number;
  body: string;
}

function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; agent?: http.Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers = { ...init.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent: init.agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function answered(what: string, answer: Answer, status: number): { data: Record<string, unknown> } {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as { data: Record<string, unknown> };
}

/**
 * A web_widget channel for the benchmarked agent (the one with the knowledge base), created by the
 * API as an admin would. The seeded workspaces were made without the demo channel, and the bench
 * workspace is the first, so this is also the channel /demo embeds.
 */
export async function createWidgetChannel(url: string, apiKey: string, agentId: string): Promise<WidgetChannel> {
  const res = await call(`${url}/api/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: { name: 'Website chat', type: 'web_widget', config: { agent_id: agentId, title: 'Parley Bench Store', greeting: GREETING } },
  });
  const channel = answered('create the web_widget channel', res, 201).data;
  if (typeof channel.public_key !== 'string') throw new Error('the web_widget channel has no public_key');
  return { publicKey: channel.public_key, greeting: GREETING };
}

/** Source addresses already used in this run (each starts at most VISITORS_PER_ADDRESS sessions). */
let addressesUsed = 0;
function nextAddress(): string {
  const n = addressesUsed++;
  if (n >= 250 * 250) throw new Error('out of loopback source addresses');
  return `127.1.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
}

/**
 * `n` new visitors, each with a session and a conversation of its own, made through the visitor
 * API by `concurrency` callers; at most 100 per source address.
 */
export async function createVisitors(url: string, publicKey: string, n: number, concurrency = 16): Promise<{ visitors: Visitor[]; seconds: number; addresses: number }> {
  const visitors: Visitor[] = new Array(n);
  const groups = Math.ceil(n / VISITORS_PER_ADDRESS);
  const agents = Array.from({ length: groups }, () => new http.Agent({ keepAlive: true, maxSockets: concurrency, localAddress: nextAddress() }));
  const t0 = performance.now();
  let next = 0;
  async function worker() {
    for (let i = next++; i < n; i = next++) {
      const agent = agents[Math.floor(i / VISITORS_PER_ADDRESS)];
      const session = answered('POST /widget/sessions', await call(`${url}/api/v1/widget/sessions`, { method: 'POST', body: { public_key: publicKey }, agent }), 201).data;
      const token = String(session.visitor_token);
      const conversation = answered(
        'POST /widget/conversations',
        await call(`${url}/api/v1/widget/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: {}, agent }),
        201,
      ).data;
      visitors[i] = { token, conversationId: String(conversation.id), sent: 0 };
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  } finally {
    for (const a of agents) a.destroy();
  }
  return { visitors, seconds: (performance.now() - t0) / 1000, addresses: groups };
}

const sendAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One visitor message with `stream: true`: ms to the first `stream.delta`, and to the end of the
 * reply. `first` is null when no reply was streamed: the conversation is with a person now (the
 * answer is JSON, or a stream without deltas).
 */
function firstToken(url: string, visitor: Visitor, content: string): Promise<{ first: number | null; total: number }> {
  visitor.sent++;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    const req = http.request(
      `${url}/api/v1/widget/conversations/${visitor.conversationId}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        agent: sendAgent,
      },
      (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (!first) {
            buf += d;
            if (buf.includes('event: stream.delta')) first = performance.now() - t0;
          }
        });
        res.on('end', () => {
          if (res.statusCode !== 200 && res.statusCode !== 201) return reject(new Error(`widget message: ${res.statusCode} ${buf.slice(0, 300)}`));
          resolve({ first: first || null, total: performance.now() - t0 });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ content, stream: true }));
  });
}

/** Visitors with messages left to send this minute; more are made (outside the timing) when they run out. */
export class VisitorPool {
  private i = 0;
  /** `url`: the server measured now, where extra visitors are made. */
  constructor(
    public url: string,
    private readonly publicKey: string,
    private readonly visitors: Visitor[],
  ) {}

  static async create(url: string, publicKey: string, n: number): Promise<VisitorPool> {
    return new VisitorPool(url, publicKey, (await createVisitors(url, publicKey, n)).visitors);
  }

  async next(): Promise<Visitor> {
    for (let tries = 0; tries < this.visitors.length; tries++) {
      const v = this.visitors[this.i++ % this.visitors.length];
      if (v.sent < MESSAGES_PER_VISITOR) return v;
    }
    const more = await createVisitors(this.url, this.publicKey, Math.max(10, Math.ceil(this.visitors.length / 2)));
    this.visitors.push(...more.visitors);
    return this.next();
  }
}

/** Sequential visitor messages for `seconds` (one at a time, many visitors): first-token and whole-reply times. */
export async function visitorReplies(
  url: string,
  pool: VisitorPool,
  seconds: number,
): Promise<{ first: number[]; total: number[]; perSecond: number; handedOver: number }> {
  const first: number[] = [];
  const total: number[] = [];
  let busy = 0;
  let handedOver = 0;
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end || first.length < 5; i++) {
    const visitor = await pool.next();
    const t0 = performance.now();
    const r = await firstToken(url, visitor, QUESTIONS[i % QUESTIONS.length]);
    busy += performance.now() - t0;
    if (r.first === null) {
      // Handed to a person (the agent may do that after questions it cannot answer): this
      // visitor is done, and its message is not a sample.
      visitor.sent = MESSAGES_PER_VISITOR;
      if (++handedOver > 10 + first.length / 10) throw new Error(`${handedOver} visitor messages got no streamed reply (handed to a person?) against ${first.length} that did`);
      continue;
    }
    first.push(r.first);
    total.push(r.total);
  }
  return { first, total, perSecond: first.length / (busy / 1000), handedOver };
}

/** The `widget_first_token` measurement on a running server: a warm-up, then `seconds` of replies. */
export async function widgetFirstToken(server: Server, pool: VisitorPool, seconds: number) {
  await visitorReplies(server.url, pool, 1);
  const cpu0 = cpuMs(server.pid);
  const r = await visitorReplies(server.url, pool, seconds);
  const cpuPerReply = (cpuMs(server.pid) - cpu0) / r.first.length;
  return { ...r, cpuPerReply };
}

// --- idle visitor streams ------------------------------------------------------------------------

export interface WidgetStreamsFigures {
  held: Omit<HeldStreams, 'close'>;
  /** Visitor replies on the same server before the streams opened, and beside them. */
  alone: ReplyFigures;
  beside: ReplyFigures;
}

interface ReplyFigures {
  p50: number;
  p95: number;
  /** The whole reply, the message sent to the stream's end (median). */
  replyP50: number;
  /** The server's CPU time per reply, in ms. */
  cpuPerReply: number;
  n: number;
}

/**
 * `visitors` idle visitor streams (`GET /widget/conversations/{id}/stream`, each visitor on its own
 * conversation with its own token) against a fresh server: what holding them costs in memory and
 * idle CPU, and what they cost a visitor's reply elsewhere in the account (replies timed on the
 * same process before the streams open, after a warm-up, and again beside them).
 */
export async function widgetStreams(env: Record<string, string>, visitors: Visitor[], pool: VisitorPool, replySeconds: number, idleSeconds: number): Promise<WidgetStreamsFigures> {
  const file = path.join(os.tmpdir(), `parley-bench-visitors-${process.pid}-${randomBytes(4).toString('hex')}.txt`);
  fs.writeFileSync(file, visitors.map((v) => `/api/v1/widget/conversations/${v.conversationId}/stream ${v.token}\n`).join(''));
  const server = await startParley(env);
  pool.url = server.url;
  const replies = async (): Promise<ReplyFigures> => {
    const cpu0 = cpuMs(server.pid);
    const r = await visitorReplies(server.url, pool, replySeconds);
    return { p50: round(median(r.first), 2)!, p95: round(quantile(r.first, 0.95), 2)!, replyP50: round(median(r.total), 2)!, cpuPerReply: round((cpuMs(server.pid) - cpu0) / r.first.length, 2)!, n: r.first.length };
  };
  try {
    await visitorReplies(server.url, pool, 1);
    const alone = await replies();
    const held = await holdStreams(server, [server.url, '--targets', file], idleSeconds);
    try {
      const beside = await replies();
      const { close: _close, ...figures } = held;
      return { held: figures, alone, beside };
    } finally {
      await held.close();
    }
  } finally {
    fs.rmSync(file, { force: true });
    await server.stop();
  }
}

// --- the launcher click to the greeting, in Chromium ---------------------------------------------

/** Debian's Chromium (Playwright cannot download browsers here); CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface GreetingFigures {
  /** Navigation start → the launcher shown (loader, frame and visitor session done), per run. */
  launcherMs: number[];
  /** The launcher's click → the first frame with the greeting visible, per run. */
  greetingMs: number[];
  /** The launcher's click → the chat fully opaque (the open transition over), per run. */
  opaqueMs: number[];
}

/**
 * The page's probe, installed before any of its scripts (as text: tsx would otherwise wrap the
 * functions in a helper the page does not have). It notes when the launcher shows, and from the
 * launcher's click, the animation frames until the greeting is visible, then opaque. /demo and the
 * widget's frame share Parley's origin, so the page can look into the frame.
 */
function probeScript(greeting: string): string {
  return `(() => {
  const text = ${JSON.stringify(greeting)};
  const probe = {};
  window.__probe = probe;
  const launcherOf = () => document.querySelector('parley-widget')?.shadowRoot?.querySelector('button');
  const watchLauncher = () => {
    const button = launcherOf();
    if (button && getComputedStyle(button).display !== 'none') probe.launcher = performance.now();
    else requestAnimationFrame(watchLauncher);
  };
  requestAnimationFrame(watchLauncher);
  const watchGreeting = () => {
    const frame = document.querySelector('parley-widget')?.shadowRoot?.querySelector('iframe');
    const style = frame ? getComputedStyle(frame) : null;
    const bubble = frame?.contentDocument?.querySelector('.greeting');
    const shown = style?.visibility === 'visible' && Number(style.opacity) > 0 && !!bubble?.textContent?.includes(text) && bubble.getBoundingClientRect().height > 0;
    if (shown && probe.visible === undefined) probe.visible = performance.now();
    if (shown && Number(style.opacity) >= 1) probe.opaque = performance.now();
    else requestAnimationFrame(watchGreeting);
  };
  addEventListener('click', () => {
    if (probe.click !== undefined || !launcherOf()) return;
    probe.click = performance.now();
    requestAnimationFrame(watchGreeting);
  }, { capture: true });
})();`;
}

/**
 * Opens /demo in a new browser context `runs` times (cold: no cache, no stored visitor), waits for
 * the launcher, clicks the button named "Open chat" and times, inside the page, the click event to
 * the first animation frame in which the greeting is visible in the widget's frame. Null (with the
 * reason logged) when Chromium is not installed.
 */
export async function widgetGreeting(url: string, greeting: string, runs: number): Promise<GreetingFigures | null> {
  if (!fs.existsSync(CHROMIUM)) {
    log(`widget_greeting: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return null;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const out: GreetingFigures = { launcherMs: [], greetingMs: [], opaqueMs: [] };
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(20_000);
      try {
        await context.addInitScript(probeScript(greeting));
        const page = await context.newPage();
        await page.goto(`${url}/demo`);
        const launcher = page.getByRole('button', { name: 'Open chat' });
        await launcher.waitFor({ state: 'visible' });
        await launcher.click();
        await page.waitForFunction('window.__probe.opaque !== undefined');
        const p = (await page.evaluate('window.__probe')) as { launcher: number; click: number; visible: number; opaque: number };
        out.launcherMs.push(p.launcher);
        out.greetingMs.push(p.visible - p.click);
        out.opaqueMs.push(p.opaque - p.click);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
