import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref, textOf, type Block, type Inline } from '../../widget/src/frame/markdown.ts';

const text = (t: string): Inline => ({ type: 'text', text: t });
const paragraph = (...children: Inline[]): Block => ({ type: 'paragraph', children });

/** Every link's address in a token tree, however deep. */
function hrefs(tokens: Array<Block | Inline>): string[] {
  const out: string[] = [];
  const walk = (t: Block | Inline) => {
    if (t.type === 'link') out.push(t.href);
    if ('children' in t) t.children.forEach(walk);
    if (t.type === 'list') t.items.flat().forEach(walk);
  };
  tokens.forEach(walk);
  return out;
}

describe('the widget Markdown parser', () => {
  it('keeps HTML as the text it is: a script tag is words on the screen, never an element', () => {
    expect(parseMarkdown('<script>alert(1)</script>')).toEqual([paragraph(text('<script>alert(1)</script>'))]);
    expect(parseMarkdown('<img src=x onerror=alert(1)> hi')).toEqual([paragraph(text('<img src=x onerror=alert(1)> hi'))]);
  });

  it('links http, https and mailto addresses', () => {
    expect(parseInline('See [our guide](https://example.com/guide?a=1) now')).toEqual([
      text('See '),
      { type: 'link', href: 'https://example.com/guide?a=1', children: [text('our guide')] },
      text(' now'),
    ]);
    expect(hrefs(parseMarkdown('[write](mailto:help@example.com) or [plain](http://example.com)'))).toEqual([
      'mailto:help@example.com',
      'http://example.com',
    ]);
  });

  it('refuses javascript:, data: and other schemes in links, keeping only the label as text', () => {
    // The address ends at the first ')': what is left of it stays text, and no link is made.
    expect(parseInline('[x](javascript:alert(1))')).toEqual([text('x)')]);
    expect(parseInline('[**x**](javascript:alert(1))')).toEqual([text('x)')]);
    for (const hostile of [
      '[x](javascript:alert(1))',
      '[x](JavaScript:alert(1))',
      '[x]( javascript:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](data:text/html,<script>alert(1)</script>)',
      '[x](vbscript:msgbox)',
      '[x](//evil.example/)',
      '[x](/relative)',
      '[x](https:evil)',
      'javascript:alert(1)',
    ]) {
      const tokens = parseMarkdown(hostile);
      expect(hrefs(tokens), hostile).toEqual([]);
    }
  });

  it('says which addresses are safe to link', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com');
    expect(safeHref('  http://example.com/a  ')).toBe('http://example.com/a');
    expect(safeHref('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://exa mple.com')).toBeNull();
    expect(safeHref('https://example.com/\u0000')).toBeNull();
    expect(safeHref('ftp://example.com')).toBeNull();
  });

  it('turns bare addresses into links, without the sentence punctuation after them', () => {
    expect(parseInline('Go to https://example.com/help.')).toEqual([
      text('Go to '),
      { type: 'link', href: 'https://example.com/help', children: [text('https://example.com/help')] },
      text('.'),
    ]);
  });

  it('reads emphasis, strong, nested emphasis and inline code', () => {
    expect(parseInline('**bold** and *it* and _also_ and `a*b*c`')).toEqual([
      { type: 'strong', children: [text('bold')] },
      text(' and '),
      { type: 'em', children: [text('it')] },
      text(' and '),
      { type: 'em', children: [text('also')] },
      text(' and '),
      { type: 'code', text: 'a*b*c' },
    ]);
    expect(parseInline('**very *much* so**')).toEqual([
      { type: 'strong', children: [text('very '), { type: 'em', children: [text('much')] }, text(' so')] },
    ]);
    expect(parseInline('[**Track** it](https://example.com)')).toEqual([
      { type: 'link', href: 'https://example.com', children: [{ type: 'strong', children: [text('Track')] }, text(' it')] },
    ]);
  });

  it('leaves markers that open nothing as text: snake_case, 2 * 3, a lone **', () => {
    expect(textOf(parseInline('use my_var_name here'))).toBe('use my_var_name here');
    expect(parseInline('use my_var_name here')).toEqual([text('use my_var_name here')]);
    expect(parseInline('2 * 3 * 4')).toEqual([text('2 * 3 * 4')]);
    expect(parseInline('a ** b')).toEqual([text('a ** b')]);
    expect(parseInline('\\*not em\\*')).toEqual([text('*not em*')]);
  });

  it('reads lists, numbered lists, headings, code blocks and paragraphs', () => {
    const blocks = parseMarkdown('# Returns\n\nYou can:\n- send it back\n- *exchange* it\n\n3. first\n4. second\n\n```\n<b>raw</b>\n```\nBye');
    expect(blocks).toEqual([
      { type: 'heading', children: [text('Returns')] },
      paragraph(text('You can:')),
      { type: 'list', ordered: false, start: 1, items: [[text('send it back')], [{ type: 'em', children: [text('exchange')] }, text(' it')]] },
      { type: 'list', ordered: true, start: 3, items: [[text('first')], [text('second')]] },
      { type: 'code', text: '<b>raw</b>' },
      paragraph(text('Bye')),
    ]);
    expect(parseMarkdown('one\ntwo')).toEqual([paragraph(text('one'), { type: 'br' }, text('two'))]);
  });

  it('stays fast and bounded on hostile input', () => {
    const inputs = [
      '*'.repeat(10_000),
      '_a'.repeat(5_000),
      '['.repeat(10_000),
      '[a]('.repeat(2_500),
      '**a'.repeat(3_300),
      '*'.repeat(50) + 'x' + '*'.repeat(50),
      '`'.repeat(10_000),
      'https://'.repeat(1_200),
    ];
    for (const input of inputs) {
      const started = performance.now();
      const tokens = parseMarkdown(input);
      expect(performance.now() - started, input.slice(0, 20)).toBeLessThan(1_000);
      expect(Array.isArray(tokens)).toBe(true);
    }
    // Deep nesting is cut off instead of recursing without end.
    const deep = '*a '.repeat(200) + 'x' + ' a*'.repeat(200);
    expect(() => parseMarkdown(deep)).not.toThrow();
  });
});
