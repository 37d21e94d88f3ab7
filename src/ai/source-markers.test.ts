import { describe, expect, it } from 'vitest';
import { createSourceMarkerStripper, stripSourceMarkers, stripSourceMarkersFromText } from './source-markers.js';

/** Feeds the text split at every position, and one character at a time, and checks each gives `expected`. */
function expectStrippedInAnyChunking(text: string, expected: string): void {
  expect(stripSourceMarkersFromText(text)).toBe(expected);
  const chars = [...text];
  for (let cut = 1; cut < chars.length; cut++) {
    const stripper = createSourceMarkerStripper();
    const out = stripper.push(chars.slice(0, cut).join('')) + stripper.push(chars.slice(cut).join('')) + stripper.end();
    expect(out, `split at ${cut}`).toBe(expected);
  }
  const stripper = createSourceMarkerStripper();
  expect(chars.map((c) => stripper.push(c)).join('') + stripper.end()).toBe(expected);
}

describe('source markers', () => {
  it('removes OpenAI assistant citations like 【4:0†source】', () => {
    expectStrippedInAnyChunking('Returns take 30 days【4:0†source】.', 'Returns take 30 days.');
    expectStrippedInAnyChunking('Refunds are free 【12:3†refunds.md】 for members.', 'Refunds are free for members.');
  });

  it('removes numbered passage references and the space before them', () => {
    expectStrippedInAnyChunking('Shipping is free [1].', 'Shipping is free.');
    expectStrippedInAnyChunking('Shipping is free[1][2] over $50.', 'Shipping is free over $50.');
    expectStrippedInAnyChunking('It ships in 2 days [2, 3] to the EU.', 'It ships in 2 days to the EU.');
    expectStrippedInAnyChunking('See the policy [source 1].', 'See the policy.');
    expectStrippedInAnyChunking('Yes [Passage 2; passage 4] it does.', 'Yes it does.');
    expectStrippedInAnyChunking('Covered [1-3].', 'Covered.');
    expectStrippedInAnyChunking('A footnote[^1].', 'A footnote.');
  });

  it('keeps line breaks and drops the gap after a marker that opens a line', () => {
    expectStrippedInAnyChunking('First line [1]\n[2] Second line', 'First line\nSecond line');
  });

  it('keeps brackets that are not markers', () => {
    expectStrippedInAnyChunking('Open [Settings] then [Billing].', 'Open [Settings] then [Billing].');
    expectStrippedInAnyChunking('In [2024] we moved.', 'In [2024] we moved.');
    expectStrippedInAnyChunking('Read [the guide](https://example.com/guide).', 'Read [the guide](https://example.com/guide).');
    expectStrippedInAnyChunking('Step [1](https://example.com/1) first.', 'Step [1](https://example.com/1) first.');
    expectStrippedInAnyChunking('【注意】 Closed on Sundays.', '【注意】 Closed on Sundays.');
    expectStrippedInAnyChunking('- [ ] todo\n- [x] done', '- [ ] todo\n- [x] done');
    expectStrippedInAnyChunking('Unclosed [1 at the end', 'Unclosed [1 at the end');
  });

  it('leaves code alone', () => {
    expectStrippedInAnyChunking('Use `items[1]` here [1].', 'Use `items[1]` here.');
    expectStrippedInAnyChunking('```\nconst x = a[0];\n```', '```\nconst x = a[0];\n```');
  });

  it('does not hold back ordinary text', () => {
    const stripper = createSourceMarkerStripper();
    expect(stripper.push('Hello [see')).toBe('Hello');
    expect(stripper.push(' docs] and [')).toBe(' [see docs] and');
    expect(stripper.push('x')).toBe('');
    expect(stripper.push('!')).toBe(' [x!');
    expect(stripper.push(' [2')).toBe('');
    expect(stripper.end()).toBe(' [2');
  });

  it('strips a stream and passes its errors through', async () => {
    async function* chunks() {
      yield 'Free [';
      yield '1] shipping';
      throw new Error('connection lost');
    }
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of stripSourceMarkers(chunks())) seen.push(chunk);
    }).rejects.toThrow('connection lost');
    expect(seen.join('')).toBe('Free shipping');
  });
});
