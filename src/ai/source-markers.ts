/**
 * Removes the citation markers models add to a reply (`【4:0†source】`, `[1]`, `[2, 3]`,
 * `[source 1]`), because Parley keeps sources apart from the text. Works on a stream: a possible
 * marker is held back until it closes, so a marker split across chunks is still removed, and
 * ordinary brackets come out unchanged as soon as they cannot be a marker any more.
 */

export interface SourceMarkerStripper {
  /** Feeds a chunk; returns the text that is safe to emit now. */
  push(chunk: string): string;
  /** Ends the stream; returns whatever was still held back. */
  end(): string;
}

/** Longest bracket we hold back hoping it is a marker; longer ones are ordinary text. */
const MAX_BRACKET = 40;
const MAX_LENTICULAR = 64;

const KEYWORD = String.raw`(?:sources?|passages?|refs?|references?|docs?|documents?|citations?)\s*#?\s*`;
const REF = String.raw`(?:${KEYWORD})?\d{1,2}`;
/** Inside `[...]`: one or more small passage numbers, optionally named. Two digits at most, so `[2024]` stays. */
const BRACKET_MARKER = new RegExp(String.raw`^\^?\s*${REF}(?:\s*(?:,|;|-|–|and)\s*${REF})*\s*$`, 'i');
/** Characters that may appear inside a `[...]` marker while it is still open. */
const BRACKET_INNER = /^[\p{L}\d ,;#^\-–]$/u;
/** Inside `【...】`: OpenAI's `4:0†source` form, or a bare reference. Plain CJK brackets like `【注意】` stay. */
const LENTICULAR_MARKER = new RegExp(String.raw`†|^\s*(?:${REF}(?::\d+)?)\s*$`, 'i');

export function createSourceMarkerStripper(): SourceMarkerStripper {
  let out = '';
  /** Spaces and tabs not yet emitted: dropped if a marker follows, so `policy [1].` becomes `policy.` */
  let held = '';
  /** An open bracket that may still turn out to be a marker. */
  let candidate = '';
  /** A complete `[n]` marker: dropped unless the next character is `(`, which makes it a Markdown link. */
  let closed = '';
  /** Inside backticks nothing is a marker (`items[1]` in code must survive). */
  let inCode = false;
  /** After a marker removed at the start of a line, the spaces that followed it are dropped too. */
  let swallowSpaces = false;
  /** The last character emitted, across chunks ('' before the first). */
  let last = '';

  const emit = (text: string) => {
    const piece = held + text;
    if (piece) last = piece[piece.length - 1];
    out += piece;
    held = '';
    swallowSpaces = false;
  };
  const atLineStart = () => last === '' || last === '\n';
  const drop = () => {
    held = '';
    swallowSpaces = atLineStart();
  };

  function step(ch: string): void {
    if (closed) {
      if (ch === '(') emit(closed);
      else drop();
      closed = '';
    }
    if (candidate) {
      const lenticular = candidate[0] === '【';
      if (ch === (lenticular ? '】' : ']')) {
        const inner = candidate.slice(1);
        const marker = lenticular ? LENTICULAR_MARKER.test(inner) : BRACKET_MARKER.test(inner);
        if (!marker) emit(candidate + ch);
        else if (lenticular) drop();
        else closed = candidate + ch;
        candidate = '';
        return;
      }
      const fits = lenticular
        ? ch !== '\n' && candidate.length < MAX_LENTICULAR
        : BRACKET_INNER.test(ch) && candidate.length < MAX_BRACKET;
      if (fits) {
        candidate += ch;
        return;
      }
      // Not a marker after all: release it and read this character afresh (it may open another).
      emit(candidate);
      candidate = '';
    }
    if (ch === '`') {
      inCode = !inCode;
      emit(ch);
    } else if (!inCode && (ch === '[' || ch === '【')) {
      candidate = ch;
    } else if (ch === ' ' || ch === '\t') {
      if (!swallowSpaces) held += ch;
    } else {
      emit(ch);
    }
  }

  return {
    push(chunk) {
      for (const ch of chunk) step(ch);
      const ready = out;
      out = '';
      return ready;
    },
    end() {
      if (closed) drop();
      if (candidate) emit(candidate);
      emit('');
      closed = '';
      candidate = '';
      const ready = out;
      out = '';
      return ready;
    },
  };
}

/** Strips markers from a stream of text chunks; errors of the source pass through. */
export async function* stripSourceMarkers(chunks: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  const stripper = createSourceMarkerStripper();
  for await (const chunk of chunks) {
    const ready = stripper.push(chunk);
    if (ready) yield ready;
  }
  const rest = stripper.end();
  if (rest) yield rest;
}

/** Strips markers from a whole text. */
export function stripSourceMarkersFromText(text: string): string {
  const stripper = createSourceMarkerStripper();
  return stripper.push(text) + stripper.end();
}
