import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../modules/knowledge/knowledge.chunking.js';
import { analyseQuery } from './analysis.js';
import { detectSmallTalk } from './smalltalk.js';
import { stem } from './stemmer.js';
import { searchTerms, splitSentences } from './text.js';

describe('text helpers of the built-in responder', () => {
  it('stems inflections together, as the Porter algorithm does', () => {
    expect(['returns', 'returned', 'returning'].map(stem)).toEqual(['return', 'return', 'return']);
    expect(stem('refunds')).toBe('refund');
    expect(stem('generalizations')).toBe('gener');
    expect(stem('sky')).toBe('sky');
    expect(stem('café')).toBe('café');
  });

  it('splits sentences without breaking prices, decimals or abbreviations', () => {
    expect(splitSentences('It costs £39.99 per box. Delivery is free, e.g. on Sundays. Ask us!')).toEqual([
      'It costs £39.99 per box.',
      'Delivery is free, e.g. on Sundays.',
      'Ask us!',
    ]);
    expect(splitSentences('## Refunds\nWe refund in 5 days.')).toEqual(['## Refunds', 'We refund in 5 days.']);
  });

  it('keeps only safe, topical search terms', () => {
    expect(searchTerms('How do I "return" my order?! (AND NOT*)')).toEqual(['return', 'order']);
    expect(searchTerms("Où est ma commande? It's late")).toEqual(['ou', 'est', 'ma', 'commande', 'late']);
  });

  it('reads "send something back" as a return and "how long" as a question about time', () => {
    const analysis = analyseQuery('how long do I have to send something back?');
    expect(analysis.concepts.map((c) => c.key)).toContain('send back');
    expect([...analysis.intents]).toContain('duration');
  });

  it('tells small talk from questions', () => {
    expect(detectSmallTalk('hi')).toBe('greeting');
    expect(detectSmallTalk('Good morning!')).toBe('greeting');
    expect(detectSmallTalk('thanks, that helped a lot')).toBe('thanks');
    expect(detectSmallTalk('ok bye')).toBe('goodbye');
    expect(detectSmallTalk('hi, where is my order?')).toBeNull();
    expect(detectSmallTalk("How do I say 'thank you' in Japanese?")).toBeNull();
  });
});

describe('chunking documents', () => {
  it('keeps a short document in one chunk', () => {
    expect(chunkDocument('Title', 'One short paragraph.')).toEqual([{ position: 0, title: 'Title', content: 'One short paragraph.' }]);
  });

  it('cuts at headings and repeats the heading when a section continues in a new chunk', () => {
    const para = (n: number) => `Sentence ${n} of a long section about delivery times. `.repeat(8).trim();
    const body = `## Delivery\n\n${para(1)}\n\n${para(2)}\n\n${para(3)}\n\n## Returns\n\n${para(4)}`;
    const chunks = chunkDocument('Help', body);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.content.length).toBeLessThanOrEqual(1200);
    expect(chunks.every((c) => c.title === 'Help')).toBe(true);
    const continued = chunks.find((c) => c.content.includes('Sentence 3'));
    expect(continued?.content.startsWith('Delivery')).toBe(true);
    expect(chunks.at(-1)?.content.startsWith('Returns')).toBe(true);
  });

  it('splits one enormous paragraph at sentence boundaries, and a sentence without any at spaces', () => {
    const long = 'This is a sentence that goes on. '.repeat(200);
    const chunks = chunkDocument('T', long);
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) expect(c.content).toMatch(/\.$/);
    const words = chunkDocument('T', 'word '.repeat(2000));
    for (const c of words) expect(c.content.length).toBeLessThanOrEqual(1200);
    expect(words.map((c) => c.content).join(' ').split(' ')).toHaveLength(2000);
  });
});
