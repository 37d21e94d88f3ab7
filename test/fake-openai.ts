import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real OpenAI-compatible HTTP server on loopback, so tests exercise the whole network path of
 * the LLM provider (SDK, fetch, SSE parsing) instead of a mocked model.
 */

/** How the server answers the next chat completion request. */
export interface FakeScript {
  /** The reply as the chunks to stream (joined for a non-streamed request). */
  chunks?: string[];
  /** Milliseconds to wait before each chunk. */
  delayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body, before any text. */
  status?: number;
  /** The `retry-after-ms` header sent with a failure, so SDK retries in tests wait this long. Default 10. */
  retryAfterMs?: number;
  /** Destroy the connection after this many chunks have been streamed. */
  cutAfter?: number;
  /** Stop sending after this many chunks but keep the connection open (a provider gone silent). */
  stallAfter?: number;
  /** Accept the request and never answer (for timeouts and aborts). */
  hang?: boolean;
  /** After the text, call this tool (its arguments streamed in two pieces), finishing with `tool_calls`. */
  toolCall?: { name: string; arguments: Record<string, unknown> };
}

export interface ChatMessage {
  role: string;
  content: unknown;
}

export interface ChatCompletionRequest {
  model: string;
  stream?: boolean;
  messages: ChatMessage[];
  [key: string]: unknown;
}

export interface FakeRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatCompletionRequest;
  /** Set when the client closed the connection before the answer was complete (abort, timeout). */
  clientGone: boolean;
}

export interface FakeOpenAI {
  /** The base URL to give an OpenAI client, ending in `/v1`. */
  url: string;
  /** Every chat completion request received, oldest first. */
  requests: FakeRequest[];
  /**
   * Queues how the next requests are answered, one script per request; the last script stays in
   * force for all later requests (so a failing script also fails the SDK's retries).
   */
  script(...next: FakeScript[]): void;
  close(): Promise<void>;
}

export const DEFAULT_REPLY = 'Hello from the fake model.';

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  let queue: FakeScript[] = [{ chunks: [DEFAULT_REPLY] }];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model' }] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}`, type: 'invalid_request_error' } });
    }
    let body: ChatCompletionRequest;
    try {
      body = JSON.parse(await readBody(req)) as ChatCompletionRequest;
    } catch {
      return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    }
    const record: FakeRequest = { path, headers: req.headers, body, clientGone: false };
    requests.push(record);
    let cut = false;
    res.on('close', () => {
      if (!res.writableFinished && !cut) record.clientGone = true;
    });
    const script = queue.length > 1 ? queue.shift()! : queue[0];

    if (script.hang) return; // the socket is destroyed by close()
    if (script.status) {
      const error = { error: { message: `scripted failure ${script.status}`, type: 'server_error' } };
      return sendJson(res, script.status, error, { 'retry-after-ms': String(script.retryAfterMs ?? 10) });
    }
    const chunks = script.chunks ?? [DEFAULT_REPLY];
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      await sleep(script.delayMs);
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: chunks.join('') }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: chunks.length, total_tokens: 10 + chunks.length },
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (choice: Record<string, unknown>) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, ...choice }] })}\n\n`;
    for (const [index, content] of chunks.entries()) {
      if (script.cutAfter !== undefined && index >= script.cutAfter) {
        cut = true;
        res.destroy();
        return;
      }
      if (script.stallAfter !== undefined && index >= script.stallAfter) return; // close() ends it
      await sleep(script.delayMs);
      if (res.destroyed) return; // the client went away (abort)
      const delta = index === 0 ? { role: 'assistant', content } : { content };
      // Wait for the chunk to be flushed, so a scripted cut really happens part-way through.
      await new Promise<void>((resolve) => res.write(event({ delta, finish_reason: null }), () => resolve()));
    }
    if (script.cutAfter !== undefined) {
      cut = true;
      res.destroy();
      return;
    }
    if (script.toolCall) {
      const args = JSON.stringify(script.toolCall.arguments);
      const half = Math.floor(args.length / 2);
      const call = (index: number, fn: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        event({ delta: { ...(chunks.length === 0 ? { role: 'assistant' } : {}), tool_calls: [{ index, ...extra, function: fn }] }, finish_reason: null });
      res.write(call(0, { name: script.toolCall.name, arguments: args.slice(0, half) }, { id: 'call_1', type: 'function' }));
      res.write(call(0, { arguments: args.slice(half) }));
      res.write(event({ delta: {}, finish_reason: 'tool_calls' }));
      res.end('data: [DONE]\n\n');
      return;
    }
    res.write(event({ delta: {}, finish_reason: 'stop' }));
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...next) {
      if (next.length === 0) throw new Error('script() needs at least one FakeScript');
      queue = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
