/**
 * The small, safe Markdown the widget shows replies in: paragraphs, line breaks, bullet and
 * numbered lists, code blocks, headings (shown as bold lines), **strong**, *emphasis*, `code` and
 * links whose address is http, https or mailto. Text becomes a token tree, never HTML: the frame
 * turns the tree into DOM nodes whose text is set as text, so nothing in a message can run.
 * Pure (no DOM), so it is unit-tested in Node.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'br' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; text: string };

/** Nested emphasis deeper than this is kept as plain text (a reply has no use for more). */
const MAX_DEPTH = 6;

const SAFE_SCHEME = /^(https?:\/\/|mailto:)/i;

/**
 * The address as it may be linked, or null: only absolute http(s) and mailto addresses, with no
 * whitespace or control characters anywhere (which browsers strip, turning `java\tscript:` back
 * into a script).
 */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (!SAFE_SCHEME.test(href) || /[\s\u0000-\u001f\u007f]/.test(href)) return null;
  try {
    const url = new URL(href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return null;
    if (url.protocol !== 'mailto:' && !url.hostname) return null;
  } catch {
    return null;
  }
  return href;
}

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** Splits text into blocks, then each block's text into inline tokens. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: 'list', ordered: list.ordered, start: list.start, items: list.items.map((item) => parseInline(item)) });
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) body.push(lines[i++]);
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ type: 'heading', children: parseInline(heading[1]) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flushParagraph();
      const ordered = numbered !== null;
      if (list && list.ordered !== ordered) flushList();
      if (!list) list = { ordered, start: numbered ? Math.min(Number(numbered[1]), 1_000_000) : 1, items: [] };
      list.items.push(bullet ? bullet[1] : numbered![2]);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return blocks;
}

const AUTOLINK = /https?:\/\/[^\s<>"]*[^\s<>".,:;!?'")\]]/iy;
const TICKS = /`+/y;
const STARS = /\*+/y;
const UNDERSCORES = /_+/y;

/** The match of a sticky pattern at `at`, or null. */
function matchAt(pattern: RegExp, text: string, at: number): string | null {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0] ?? null;
}

/** Inline tokens of one block's text. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const pushText = (value: string) => {
    buffer += value;
  };
  const flush = () => {
    if (buffer) out.push({ type: 'text', text: buffer });
    buffer = '';
  };
  const push = (token: Inline) => {
    flush();
    out.push(token);
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];

    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!~]/.test(text[i + 1])) {
      pushText(text[i + 1]);
      i += 2;
      continue;
    }
    if (ch === '\n') {
      push({ type: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const ticks = matchAt(TICKS, text, i)!;
      const end = text.indexOf(ticks, i + ticks.length);
      if (end !== -1) {
        const code = text.slice(i + ticks.length, end);
        push({ type: 'code', text: code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code });
        i = end + ticks.length;
        continue;
      }
      pushText(ticks);
      i += ticks.length;
      continue;
    }
    if (ch === '[') {
      const link = parseLink(text, i, depth);
      if (link) {
        for (const token of link.tokens) {
          if (token.type === 'text') pushText(token.text);
          else push(token);
        }
        i = link.end;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && (i === 0 || /[\s(]/.test(text[i - 1]))) {
      const auto = matchAt(AUTOLINK, text, i);
      if (auto && safeHref(auto)) {
        push({ type: 'link', href: auto, children: [{ type: 'text', text: auto }] });
        i += auto.length;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const emphasis = parseEmphasis(text, i, depth);
      if (emphasis) {
        push(emphasis.token);
        i = emphasis.end;
        continue;
      }
      // A run of markers that opens nothing is plain text, taken whole so a long run stays linear.
      const run = matchAt(ch === '*' ? STARS : UNDERSCORES, text, i)!;
      pushText(run);
      i += run.length;
      continue;
    }
    pushText(ch);
    i++;
  }
  flush();
  return out;
}

/** `[label](address)` at `start`: a link when the address is safe, else just its label's words. */
function parseLink(text: string, start: number, depth: number): { tokens: Inline[]; end: number } | null {
  const close = findClosingBracket(text, start);
  if (close === -1 || text[close + 1] !== '(') return null;
  const end = text.indexOf(')', close + 2);
  if (end === -1) return null;
  const label = text.slice(start + 1, close);
  const address = text.slice(close + 2, end).trim().split(/\s+/)[0] ?? '';
  // No link inside a link: an autolink in a label stays its text.
  const children = depth >= MAX_DEPTH ? [{ type: 'text' as const, text: label }] : parseInline(label, depth + 1).map((t) => (t.type === 'link' ? { type: 'text' as const, text: textOf(t.children) } : t));
  const href = safeHref(address);
  if (!href) return { tokens: [{ type: 'text', text: textOf(children) }], end: end + 1 };
  return { tokens: [{ type: 'link', href, children: children.length ? children : [{ type: 'text', text: href }] }], end: end + 1 };
}

/** The plain text of inline tokens (for previews and refused links). */
export function textOf(tokens: Inline[]): string {
  return tokens
    .map((t) => (t.type === 'text' || t.type === 'code' ? t.text : t.type === 'br' ? ' ' : textOf(t.children)))
    .join('');
}

function findClosingBracket(text: string, start: number): number {
  let level = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '[') level++;
    else if (ch === ']' && --level === 0) return i;
    else if (ch === '\n' && text[i + 1] === '\n') return -1;
  }
  return -1;
}

function parseEmphasis(text: string, start: number, depth: number): { token: Inline; end: number } | null {
  if (depth >= MAX_DEPTH) return null;
  const ch = text[start];
  const double = text[start + 1] === ch;
  const marker = double ? ch + ch : ch;
  const after = text[start + marker.length];
  // An opener is followed by a non-space; `_` inside a word (snake_case) is no emphasis.
  if (after === undefined || /\s/.test(after) || after === ch) return null;
  if (ch === '_' && start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1])) return null;
  let search = start + marker.length;
  while (search < text.length) {
    const close = text.indexOf(marker, search);
    if (close === -1) return null;
    const before = text[close - 1];
    const next = text[close + marker.length];
    const closes =
      !/\s/.test(before) &&
      // `*a **b** c*`: a single marker does not close on half of a double one.
      (double || next !== ch) &&
      (ch !== '_' || next === undefined || !/[\p{L}\p{N}]/u.test(next));
    if (closes && close > start + marker.length) {
      const children = parseInline(text.slice(start + marker.length, close), depth + 1);
      return { token: { type: double ? 'strong' : 'em', children }, end: close + marker.length };
    }
    search = close + (double ? 2 : 1);
    if (!double && text[close + 1] === ch) search = close + 2;
  }
  return null;
}
