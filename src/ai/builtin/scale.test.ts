import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { collectText } from '../provider.js';
import { createBuiltinResponder, DECLINE_TEXT } from './responder.js';

const NOUNS = `kettle toaster blender lamp sofa rug cushion blanket mug plate bowl vase mirror clock shelf desk
chair stool basket candle towel sheet pillow curtain jacket scarf glove boot sneaker sandal shirt sweater
dress skirt belt wallet backpack umbrella bottle grinder speaker charger cable headphone keyboard monitor`.split(/\s+/);
const ADJECTIVES = `oak walnut linen wool cotton ceramic glass copper brass steel bamboo velvet leather recycled
organic compact deluxe classic modern vintage rustic slim heavy light waterproof foldable portable`.split(/\s+/);
const TOPICS = [
  'Care instructions: wipe with a damp cloth and dry immediately. Avoid bleach and abrasive cleaners.',
  'Dimensions and weight are listed on the product page. Allow a small tolerance for handmade pieces.',
  'Assembly takes about {n} minutes with the included tools. Keep the manual for future reference.',
  'This item is made in our partner workshop in {place} from responsibly sourced materials.',
  'Colours may look slightly different on screen. Each batch is inspected before it leaves the workshop.',
];
const PLACES = ['Porto', 'Leeds', 'Valencia', 'Krakow', 'Oaxaca', 'Kyoto'];

/** A product page: what a large shop's knowledge base is mostly made of. */
function productDoc(i: number): { title: string; body: string } {
  const noun = NOUNS[i % NOUNS.length];
  const adjective = ADJECTIVES[(i * 7) % ADJECTIVES.length];
  const paragraphs = [0, 1, 2].map((k) =>
    TOPICS[(i + k) % TOPICS.length].replace('{n}', String(10 + (i % 50))).replace('{place}', PLACES[(i + k) % PLACES.length]),
  );
  return {
    title: `The ${adjective} ${noun} (model ${1000 + i})`,
    body: `Our ${adjective} ${noun} is one of our best sellers.\n\n${paragraphs.join('\n\n')}`,
  };
}

describe.each(DIALECTS)('the built-in responder with 1,000 documents on %s', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    const { accountId, agentId } = t.workspace;
    await t.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 993; i++) await t.services.knowledge.createDocument(accountId, agentId, productDoc(i), trx);
    });
  }, 120_000);
  afterAll(async () => t.close());

  const ask = async (message: string) => {
    const responder = createBuiltinResponder({ retriever: t.services.retriever });
    const stream = await responder.reply({
      accountId: t.workspace.accountId,
      agent: { id: t.workspace.agentId, name: 'Demo', instructions: '' },
      history: [],
      message,
    });
    const text = await collectText(stream);
    return { text, sources: stream.sources };
  };

  it('still finds the help articles among a thousand product pages', async () => {
    expect((await ask('how long do I have to send something back?')).text).toContain('30 days');
    expect((await ask('how much is express shipping?')).text).toContain('$14.95');
    expect((await ask('I forgot my password')).text).toContain('Forgot password');
    // A product whose page has the assembly paragraph: its own time must come back, not another's.
    const i = Array.from({ length: 993 }, (_, k) => k).find((k) => [0, 1, 2].some((p) => (k + p) % TOPICS.length === 2) && k > 100)!;
    const product = productDoc(i).title.replace(/^The (.+) \(model (\d+)\)$/, '$1 model $2');
    const assembly = await ask(`how long does it take to assemble the ${product}?`);
    expect(assembly.text).toContain(`${10 + (i % 50)} minutes`);
    expect((await ask('Can you book me a flight to Rome?')).text).toBe(DECLINE_TEXT);
  });
});
