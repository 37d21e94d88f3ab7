import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { createLlmProvider, LlmError, LlmTimeoutError, type LlmProviderOptions } from './llm.js';
import { collectText, type KnowledgeRetriever, type Passage, type ReplyRequest } from './provider.js';

const PASSAGES: Passage[] = [
  { document_id: 'doc-shipping', chunk_id: 1, title: 'Shipping policy', url: 'https://example.com/shipping', content: 'Orders over $50 ship free.', score: 3 },
  { document_id: 'doc-returns', chunk_id: 7, title: 'Returns', url: null, content: 'Returns are accepted within 30 days.', score: 2 },
  { document_id: 'doc-shipping', chunk_id: 2, title: 'Shipping policy', url: 'https://example.com/shipping', content: 'Express delivery takes 1 day.', score: 1 },
];

/** The knowledge module is tested on its own; here only the interface boundary matters. */
function retrieverOf(passages: Passage[]) {
  const calls: { accountId: string; agentId: string; query: string; limit: number }[] = [];
  const retriever: KnowledgeRetriever = {
    async search(accountId, agentId, query, limit) {
      calls.push({ accountId, agentId, query, limit });
      return passages.slice(0, limit);
    },
  };
  return { retriever, calls };
}

function request(overrides: Partial<ReplyRequest> = {}): ReplyRequest {
  return {
    accountId: 'acc-1',
    agent: { id: 'agent-1', name: 'Ada', instructions: 'Be brief and friendly. Never promise refunds.' },
    history: [],
    message: 'Is shipping free?',
    ...overrides,
  };
}

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function provider(options: LlmProviderOptions = {}, passages: Passage[] = PASSAGES, apiKey = 'sk-test') {
  const { retriever, calls } = retrieverOf(passages);
  const ai = createLlmProvider({ kind: 'openai-compatible', baseUrl: fake.url, apiKey, model: 'fake-model' }, retriever, {
    maxRetries: 0,
    ...options,
  });
  return { ai, calls };
}

async function readAll(text: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of text) chunks.push(chunk);
  return chunks;
}

describe('LLM provider (OpenAI-compatible, over real HTTP)', () => {
  it('streams the reply in the chunks the model sent, with the distinct source documents', async () => {
    fake.script({ chunks: ['Yes,', ' orders over $50', ' ship free.'] });
    const { ai, calls } = provider();

    const reply = await ai.reply(request());

    expect(reply.sources).toEqual([
      { document_id: 'doc-shipping', title: 'Shipping policy', url: 'https://example.com/shipping' },
      { document_id: 'doc-returns', title: 'Returns', url: null },
    ]);
    expect(await readAll(reply.text)).toEqual(['Yes,', ' orders over $50', ' ship free.']);
    expect(calls).toEqual([{ accountId: 'acc-1', agentId: 'agent-1', query: 'Is shipping free?', limit: 5 }]);
  });

  it('sends the instructions and numbered passages as the system prompt, then the history and the message', async () => {
    fake.script({ chunks: ['Sure.'] });
    const { ai } = provider();

    const reply = await ai.reply(
      request({
        history: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello! How can I help?' },
          { role: 'operator', content: 'This is Sam from support, I am here too.' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    await collectText(reply);

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0];
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body.model).toBe('fake-model');
    expect(sent.body.stream).toBe(true);
    const [system, ...rest] = sent.body.messages;
    expect(system.role).toBe('system');
    const prompt = String(system.content);
    expect(prompt).toContain('Be brief and friendly. Never promise refunds.');
    expect(prompt).toContain('Passage 1: Shipping policy\nOrders over $50 ship free.');
    expect(prompt).toContain('Passage 2: Returns\nReturns are accepted within 30 days.');
    expect(prompt).toContain('Passage 3: Shipping policy\nExpress delivery takes 1 day.');
    expect(prompt).toMatch(/only from the knowledge passages/i);
    expect(rest).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'assistant', content: 'This is Sam from support, I am here too.' },
      { role: 'user', content: 'Thanks' },
      { role: 'user', content: 'Is shipping free?' },
    ]);
  });

  it('tells the model to admit it does not know when no passage matches, and cites nothing', async () => {
    fake.script({ chunks: ['I do not have that information.'] });
    const { ai } = provider({}, []);

    const reply = await ai.reply(request({ message: 'Do you sell boats?' }));

    expect(reply.sources).toEqual([]);
    expect(await collectText(reply)).toBe('I do not have that information.');
    const prompt = String(fake.requests[0].body.messages[0].content);
    expect(prompt).toMatch(/do not have that information/);
    expect(prompt).not.toContain('Passage 1');
  });

  it('sends no Authorization header when no API key is configured (local servers)', async () => {
    const { ai } = provider({}, PASSAGES, '');
    await collectText(await ai.reply(request()));
    expect(fake.requests[0].headers.authorization).toBeUndefined();
  });

  it('strips citation markers even when they are split across chunks', async () => {
    fake.script({ chunks: ['Orders over $50 ship free [', '1', '].', ' Returns take 30 days【4:', '0†sour', 'ce】.'] });
    const { ai } = provider();

    const text = await collectText(await ai.reply(request()));

    expect(text).toBe('Orders over $50 ship free. Returns take 30 days.');
  });

  it('rejects reply() when the provider fails before any text', async () => {
    fake.script({ status: 500 });
    const { ai } = provider();

    await expect(ai.reply(request())).rejects.toThrow(LlmError);
    await expect(ai.reply(request())).rejects.toThrow(/scripted failure 500/);
  });

  it('rejects reply() when the provider cannot be reached', async () => {
    const port = await closedPort();
    const { retriever } = retrieverOf(PASSAGES);
    const ai = createLlmProvider(
      { kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: '', model: 'm' },
      retriever,
      { maxRetries: 0 },
    );

    await expect(ai.reply(request())).rejects.toThrow(/Cannot connect to API/);
  });

  it('retries a failed request once by default', async () => {
    fake.script({ status: 503 }, { chunks: ['Recovered.'] });
    const { ai } = provider({ maxRetries: undefined });

    expect(await collectText(await ai.reply(request()))).toBe('Recovered.');
    expect(fake.requests).toHaveLength(2);
  });

  it('throws from the text iterator when the stream breaks part-way', async () => {
    fake.script({ chunks: ['Orders ', 'over ', '$50', ' ship free.'], cutAfter: 2 });
    const { ai } = provider();

    const reply = await ai.reply(request());
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of reply.text) seen.push(chunk);
    }).rejects.toThrow(LlmError);
    expect(seen.join('')).toBe('Orders over');
  });

  it('stops and closes the connection when the request is aborted mid-stream', async () => {
    fake.script({ chunks: ['One. ', 'Two. ', 'Three. ', 'Four.'], delayMs: 50 });
    const { ai } = provider();
    const controller = new AbortController();

    const reply = await ai.reply(request({ signal: controller.signal }));
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of reply.text) {
        seen.push(chunk);
        controller.abort();
      }
    }).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['One.']);
    await waitFor(() => fake.requests[0].clientGone);
  });

  it('rejects reply() at once when the request is aborted before any text', async () => {
    fake.script({ hang: true });
    const { ai } = provider();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    await expect(ai.reply(request({ signal: controller.signal }))).rejects.toThrow(/abort/i);
    await waitFor(() => fake.requests[0]?.clientGone === true);
  });

  it('gives up on a provider that never answers', async () => {
    fake.script({ hang: true });
    const { ai } = provider({ timeoutMs: 200 });

    await expect(ai.reply(request())).rejects.toThrow(LlmTimeoutError);
    await waitFor(() => fake.requests[0].clientGone);
  });

  it('gives up on a stream that goes silent part-way', async () => {
    fake.script({ chunks: ['Orders over $50 ', 'ship free.'], stallAfter: 1 });
    const { ai } = provider({ timeoutMs: 500 });

    const reply = await ai.reply(request());
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of reply.text) seen.push(chunk);
    }).rejects.toThrow(LlmTimeoutError);
    expect(seen.join('')).toBe('Orders over $50');
    await waitFor(() => fake.requests[0].clientGone);
  });

  it('does not count a slow reader against the provider', async () => {
    fake.script({ chunks: ['One.', ' Two.', ' Three.'], delayMs: 30 });
    const { ai } = provider({ timeoutMs: 400 });

    const reply = await ai.reply(request());
    let text = '';
    for await (const chunk of reply.text) {
      text += chunk;
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    expect(text).toBe('One. Two. Three.');
  });

  it('closes the connection when the reader stops early', async () => {
    fake.script({ chunks: ['One. ', 'Two. ', 'Three.'], delayMs: 50 });
    const { ai } = provider();

    const reply = await ai.reply(request());
    for await (const chunk of reply.text) {
      expect(chunk).toBe('One.');
      break;
    }
    await waitFor(() => fake.requests[0].clientGone);
  });
  it('closes the connection when the caller gives up before reading', async () => {
    fake.script({ chunks: ['One.', ' Two.', ' Three.'], delayMs: 50 });
    const { ai } = provider();

    const reply = await ai.reply(request());
    await reply.text[Symbol.asyncIterator]().return?.();

    await waitFor(() => fake.requests[0].clientGone);
  });

  it('rejects reply() without calling the model when the request is already aborted', async () => {
    const { ai } = provider();
    await expect(ai.reply(request({ signal: AbortSignal.abort() }))).rejects.toThrow(/abort/i);
    expect(fake.requests).toHaveLength(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('LLM provider (Anthropic)', () => {
  it('sends the same prompt to the Messages API and streams its text back', async () => {
    const seen: { path: string; apiKey: string | undefined; body: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (part: Buffer) => (raw += part.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined, body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
        send('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } });
        send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        for (const text of ['Orders over $50 ', 'ship free [1].']) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
        send('content_block_stop', { index: 0 });
        send('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } });
        send('message_stop', {});
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const ai = createLlmProvider(
        { kind: 'anthropic', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-ant-test', model: 'claude-test' },
        retrieverOf(PASSAGES).retriever,
      );
      const reply = await ai.reply(request({ history: [{ role: 'operator', content: 'Sam here.' }] }));

      expect(await collectText(reply)).toBe('Orders over $50 ship free.');
      expect(reply.sources.map((s) => s.document_id)).toEqual(['doc-shipping', 'doc-returns']);
      expect(seen[0].path).toBe('/v1/messages');
      expect(seen[0].apiKey).toBe('sk-ant-test');
      expect(JSON.stringify(seen[0].body.system)).toContain('Passage 1: Shipping policy');
      expect(seen[0].body.messages).toEqual([
        { role: 'assistant', content: [{ type: 'text', text: 'Sam here.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Is shipping free?' }] },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
