import { splitSentences } from '../../ai/builtin/text.js';

/** A passage of a document as stored and indexed. */
export interface DocumentChunk {
  position: number;
  /** The document's title, kept with every chunk so a passage is found by what its article is about. */
  title: string;
  content: string;
}

/** Chunks aim for this size; a chunk is only cut earlier at a heading or when the next piece would not fit. */
export const CHUNK_MAX_CHARS = 1200;
/** A section shorter than this is merged with the next one rather than standing alone. */
export const CHUNK_MIN_CHARS = 400;
/** Pieces of an overlong paragraph are cut to about this size, at sentence boundaries. */
const PIECE_CHARS = 1000;

interface Unit {
  /** The heading of the section this text belongs to. */
  heading: string | null;
  /** Whether this unit is the first of its section (the heading is printed before it). */
  opensSection: boolean;
  text: string;
}

/**
 * Splits a document into passages of about 800–1200 characters: by section (markdown headings, or a
 * short line standing alone before a paragraph), then by paragraph, then by sentence. A chunk that
 * starts in the middle of a section repeats the section heading, so every passage reads on its own.
 */
export function chunkDocument(title: string, body: string): DocumentChunk[] {
  const units = toUnits(body);
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length) chunks.push(parts.join('\n\n'));
    parts = [];
    size = 0;
  };
  for (const unit of units) {
    const headed = unit.opensSection && unit.heading ? `${unit.heading}\n${unit.text}` : unit.text;
    if (unit.opensSection && size >= CHUNK_MIN_CHARS) flush();
    if (size > 0 && size + headed.length + 2 > CHUNK_MAX_CHARS) flush();
    // A chunk that begins mid-section carries the heading for context.
    const text = size === 0 && !unit.opensSection && unit.heading ? `${unit.heading}\n${unit.text}` : headed;
    parts.push(text);
    size += text.length + 2;
  }
  flush();
  if (chunks.length === 0) chunks.push(body.trim());
  return chunks.map((content, position) => ({ position, title, content }));
}

function toUnits(body: string): Unit[] {
  const blocks = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const units: Unit[] = [];
  let heading: string | null = null;
  let opensSection = false;
  blocks.forEach((block, i) => {
    const lines = block.split('\n');
    const first = lines[0].trim();
    const isMarkdownHeading = /^#{1,6}\s+\S/.test(first);
    const isBareHeading = lines.length === 1 && i < blocks.length - 1 && looksLikeHeading(first);
    if (isMarkdownHeading || isBareHeading) {
      heading = first.replace(/^#{1,6}\s+/, '').trim();
      opensSection = true;
      const rest = lines.slice(1).join('\n').trim();
      if (!rest) return;
      block = rest;
    }
    for (const piece of splitOversized(block)) {
      units.push({ heading, opensSection, text: piece });
      opensSection = false;
    }
  });
  return units;
}

/** A short line with no closing punctuation, standing alone: "Refund timing", "Shipping costs:". */
function looksLikeHeading(line: string): boolean {
  return line.length <= 80 && !/[.!?,;]$/.test(line) && !/^(?:[-*•]|\d+[.)]\s)/.test(line);
}

/** Cuts a paragraph longer than a chunk into sentence groups; a sentence longer than that, at spaces. */
function splitOversized(paragraph: string): string[] {
  if (paragraph.length <= CHUNK_MAX_CHARS) return [paragraph];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of splitSentences(paragraph).flatMap(hardSplit)) {
    if (current && current.length + 1 + sentence.length > PIECE_CHARS) {
      pieces.push(current);
      current = '';
    }
    current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) pieces.push(current);
  return pieces;
}

function hardSplit(sentence: string): string[] {
  if (sentence.length <= CHUNK_MAX_CHARS) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > PIECE_CHARS) {
    const cut = rest.lastIndexOf(' ', PIECE_CHARS);
    const at = cut > PIECE_CHARS / 2 ? cut : PIECE_CHARS;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}
