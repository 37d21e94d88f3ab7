import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { collectText, type AiProvider, type ReplyRequest } from '../provider.js';
import { createBuiltinResponder, DECLINE_TEXT } from './responder.js';

/** Demo-store questions in customers' words, and a fact each answer must contain. */
const ANSWERABLE: Array<[string, string, string]> = [
  ['how long do I have to send something back?', '30 days', 'Returns and refunds'],
  ['Do I have to pay for return postage?', 'free', 'Returns and refunds'],
  ['can I return a pair of earrings?', 'hygiene', 'Returns and refunds'],
  ['how much is delivery?', '$4.95', 'Shipping and delivery'],
  ['do you ship to Canada?', '7 to 12 business days', 'Shipping and delivery'],
  ["my parcel hasn't turned up yet", '10 business days', 'Shipping and delivery'],
  ['how fast is express?', '1 to 2 business days', 'Shipping and delivery'],
  ['is shipping free?', '$50', 'Shipping and delivery'],
  ['When will my card be charged?', 'ships', 'Billing and payments'],
  ['I think I was charged twice for the same order', 'billing@demo-store.example', 'Billing and payments'],
  ['can I get an invoice for my purchase?', 'PDF', 'Billing and payments'],
  ['what ways can I pay?', 'PayPal', 'Billing and payments'],
  ['I forgot my password', 'Forgot password', 'Your account and password'],
  ["I can't sign in, it says my account is locked", '30 minutes', 'Your account and password'],
  ['Can I cancel my order?', '1 hour', 'Changing or cancelling an order'],
  ['my lamp stopped working after 3 months', '2-year warranty', 'Warranty and faulty items'],
  ['what is your customer support phone number?', '1-800-555-0199', 'Contacting customer support'],
  // Seed 000's and the README's own examples: the first questions a new user asks.
  ['What is your return policy?', '30 days', 'Returns and refunds'],
  ['Do you ship abroad?', 'Europe', 'Shipping and delivery'],
  ['What is your shipping policy?', '3 to 5 business days', 'Shipping and delivery'],
];

const OFF_TOPIC = [
  "What's the best pizza place nearby?",
  'Can you book me a flight to Rome?',
  'Tell me a joke',
  'Who is the president of France?',
  'Do you sell car insurance?',
  'How tall is Mount Everest?',
  'How do I install Windows on my laptop?',
];

async function chunksOf(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe.each(DIALECTS)('the built-in responder on %s', (dialect) => {
  let t: TestApp;
  let responder: AiProvider;
  let ask: (message: string, extra?: Partial<ReplyRequest>) => ReturnType<AiProvider['reply']>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    responder = createBuiltinResponder({ retriever: t.services.retriever });
    ask = (message, extra = {}) =>
      responder.reply({
        accountId: t.workspace.accountId,
        agent: { id: t.workspace.agentId, name: 'Demo Support Agent', instructions: '' },
        history: [],
        message,
        ...extra,
      });
  });
  afterAll(async () => t.close());

  it('is named builtin', () => {
    expect(responder.name).toBe('builtin');
  });

  it('finds the returns article for "how long do I have to send something back?" and quotes the fact', async () => {
    const stream = await ask('how long do I have to send something back?');
    expect(stream.sources).toHaveLength(1);
    expect(stream.sources[0]).toMatchObject({
      title: 'Returns and refunds',
      url: 'https://demo-store.parley.example/help/returns-and-refunds',
    });
    expect(stream.sources[0].document_id).toMatch(/^[0-9a-f-]{36}$/);
    const text = await collectText(stream);
    expect(text).toContain('30 days');
    expect(text).toContain('Returns and refunds');
  });

  it.each(ANSWERABLE)('answers "%s" with "%s" from %s', async (question, fact, title) => {
    const stream = await ask(question);
    const text = await collectText(stream);
    expect(text.toLowerCase()).toContain(fact.toLowerCase());
    expect(stream.sources[0]?.title).toBe(title);
    expect(text).not.toBe(DECLINE_TEXT);
  });

  it.each(OFF_TOPIC)('declines "%s" plainly, citing nothing', async (question) => {
    const stream = await ask(question);
    expect(stream.sources).toEqual([]);
    const text = await collectText(stream);
    expect(text).toBe(DECLINE_TEXT);
    expect(text).toMatch(/couldn't find an answer/);
  });

  it.each([
    ['hi', /how can i help/i],
    ['Hello there!', /how can i help/i],
    ['thanks!', /you're welcome/i],
    ['Thank you so much, that helped', /you're welcome/i],
    ['bye', /goodbye/i],
  ])('replies to the small talk "%s" kindly instead of declining', async (message, reply) => {
    const stream = await ask(message);
    expect(stream.sources).toEqual([]);
    expect(await collectText(stream)).toMatch(reply);
  });

  it('answers a question that opens with a greeting, greeting back', async () => {
    const text = await collectText(await ask('Hi! How do I return an item?'));
    expect(text).toMatch(/^Hi! /);
    expect(text).toContain('Return items');
  });

  it('asks for more when a message has nothing to look up', async () => {
    const stream = await ask('???');
    expect(stream.sources).toEqual([]);
    expect(await collectText(stream)).toMatch(/tell me a little more/i);
  });

  it('streams the answer in several chunks of a few words that add up to the whole text', async () => {
    const chunks = await chunksOf((await ask('how much is delivery?')).text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.trim().split(/\s+/).length).toBeLessThanOrEqual(4);
    const again = await collectText(await ask('how much is delivery?'));
    expect(chunks.join('')).toBe(again);
  });

  it('answers from the asking agent only: another account with no knowledge declines', async () => {
    const other = await t.otherWorkspace();
    const stream = await responder.reply({
      accountId: other.accountId,
      agent: { id: other.agentId, name: 'Other', instructions: '' },
      history: [],
      message: 'how long do I have to send something back?',
    });
    expect(stream.sources).toEqual([]);
    expect(await collectText(stream)).toBe(DECLINE_TEXT);
  });

  it('stops when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(ask('how much is delivery?', { signal: controller.signal })).rejects.toThrow();
    const live = new AbortController();
    const stream = await ask('how much is delivery?', { signal: live.signal });
    const iterator = stream.text[Symbol.asyncIterator]();
    await iterator.next();
    live.abort();
    await expect(iterator.next()).rejects.toThrow();
  });

  it('quotes a second article when the question spans two', async () => {
    const stream = await ask('how long do refunds take and how much is express shipping?');
    const titles = stream.sources.map((s) => s.title);
    expect(titles).toContain('Returns and refunds');
    expect(titles).toContain('Shipping and delivery');
    const text = await collectText(stream);
    expect(text).toContain('5 to 7 business days');
    expect(text).toContain('$14.95');
  });

  it('reads a short follow-up together with the previous question', async () => {
    const history = [
      { role: 'user' as const, content: 'how much is standard shipping?' },
      { role: 'assistant' as const, content: 'Standard shipping costs $4.95.' },
    ];
    const stream = await ask('And to Canada?', { history });
    expect(stream.sources[0]?.title).toBe('Shipping and delivery');
    expect(await collectText(stream)).toContain('$19.95');
  });

  it('still declines an unrelated follow-up', async () => {
    const history = [{ role: 'user' as const, content: 'how much is standard shipping?' }];
    expect(await collectText(await ask('tell me a joke', { history }))).toBe(DECLINE_TEXT);
  });
});
