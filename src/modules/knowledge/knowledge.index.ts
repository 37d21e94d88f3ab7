import { stem } from '../../ai/builtin/stemmer.js';
import { tokenize } from '../../ai/builtin/text.js';

/** A chunk as the in-memory index holds it: what a search returns, nothing else. */
export interface IndexedChunk {
  chunk_id: number;
  document_id: string;
  title: string;
  content: string;
  url: string | null;
}

/** A chunk that matched, with its BM25 score (higher is better). */
export interface ScoredChunk extends IndexedChunk {
  score: number;
}

/** Title words count this many times a content word, as the SQLite index's `bm25(…, 4.0, 1.0)`. */
const TITLE_WEIGHT = 4;
/** BM25's usual constants, FTS5's too. */
const K1 = 1.2;
const B = 0.75;

interface Postings {
  /** Positions in `chunks` (order carries no meaning: scores are summed per row). */
  rows: number[];
  /** Weighted term frequency in each of those chunks (title occurrences × TITLE_WEIGHT + content). */
  freqs: number[];
}

/**
 * An agent's knowledge as an inverted index in memory: Porter-stemmed terms (the stemmer SQLite's
 * index uses) to the chunks containing them, scored with BM25 exactly as FTS5's `bm25()` does
 * (k1 1.2, b 0.75, title weighted 4, IDF floored at 1e-6) but with statistics of this agent's
 * knowledge alone. A search touches only the postings of its terms: no SQL, no row reads, no
 * per-match join — a few hundred microseconds where the FTS query took milliseconds on a
 * 1,000-document knowledge base.
 */
export class KnowledgeIndex {
  readonly size: number;
  /** Characters of text held, for the cache's memory bound. */
  readonly chars: number;
  /** Chunks whose words this build tokenised and stemmed (the rest came from the previous index). */
  readonly analysed: number;
  /** Each chunk's length in weighted words (title words × TITLE_WEIGHT + content words). */
  private readonly lengths: Float64Array;
  /** BM25's length normalisation of each chunk, K1 × (1 − B + B × length / average length). */
  private readonly norms: Float64Array;
  private readonly postings = new Map<string, Postings>();
  /** Scratch space of one search: scores by row, valid where `marks[row]` is the search's number. */
  private readonly scores: Float64Array;
  private readonly marks: Uint32Array;
  private generation = 0;

  /**
   * Indexes `chunks`. Given the agent's `previous` index, a chunk it already held (same id, title
   * and content: chunks are never edited in place, a changed document gets new ones) keeps the
   * terms counted then, so a document edit in a 1,000-document knowledge base re-reads that
   * document's words only (tokenising and stemming is nearly all of a build's time).
   */
  constructor(
    private readonly chunks: IndexedChunk[],
    previous?: KnowledgeIndex,
  ) {
    const n = chunks.length;
    this.size = n;
    this.lengths = new Float64Array(n);
    this.norms = new Float64Array(n);
    this.scores = new Float64Array(n);
    this.marks = new Uint32Array(n);
    const fresh = previous ? this.keepFrom(previous) : new Uint8Array(n).fill(1);
    let chars = 0;
    let total = 0;
    let analysed = 0;
    chunks.forEach((chunk, row) => {
      chars += chunk.title.length + chunk.content.length;
      if (fresh[row]) {
        this.analyse(chunk, row);
        analysed++;
      }
      total += this.lengths[row];
    });
    this.chars = chars;
    this.analysed = analysed;
    const avgLength = n > 0 ? total / n : 1;
    for (let row = 0; row < n; row++) this.norms[row] = K1 * (1 - B + (B * this.lengths[row]) / avgLength);
  }

  /** Counts one chunk's stemmed terms into the postings. */
  private analyse(chunk: IndexedChunk, row: number): void {
    const freq = new Map<string, number>();
    const add = (text: string, weight: number) => {
      const tokens = tokenize(text);
      for (const token of tokens) {
        const term = stem(token);
        freq.set(term, (freq.get(term) ?? 0) + weight);
      }
      return tokens.length;
    };
    this.lengths[row] = add(chunk.title, TITLE_WEIGHT) + add(chunk.content, 1);
    for (const [term, f] of freq) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { rows: [], freqs: [] }));
      p.rows.push(row);
      p.freqs.push(f);
    }
  }

  /**
   * Takes over the postings and lengths of the chunks `previous` held unchanged, renumbered to
   * their rows here; returns which rows are new (1) and still need `analyse`.
   */
  private keepFrom(previous: KnowledgeIndex): Uint8Array {
    const fresh = new Uint8Array(this.size).fill(1);
    const oldRowOf = new Map<number, number>();
    previous.chunks.forEach((c, row) => oldRowOf.set(c.chunk_id, row));
    /** Old row → row here, or -1 where the chunk is gone or changed. */
    const moved = new Int32Array(previous.size).fill(-1);
    this.chunks.forEach((chunk, row) => {
      const oldRow = oldRowOf.get(chunk.chunk_id);
      if (oldRow === undefined) return;
      const old = previous.chunks[oldRow];
      if (old.title !== chunk.title || old.content !== chunk.content) return;
      moved[oldRow] = row;
      fresh[row] = 0;
      this.lengths[row] = previous.lengths[oldRow];
    });
    for (const [term, p] of previous.postings) {
      let kept: Postings | undefined;
      for (let i = 0; i < p.rows.length; i++) {
        const row = moved[p.rows[i]];
        if (row < 0) continue;
        kept ??= { rows: [], freqs: [] };
        kept.rows.push(row);
        kept.freqs.push(p.freqs[i]);
      }
      if (kept) this.postings.set(term, kept);
    }
    return fresh;
  }

  /** The chunks containing ANY of `terms` (raw words; stemmed here), best first, ties by chunk id. */
  search(terms: string[], limit: number): ScoredChunk[] {
    if (this.size === 0 || limit < 1) return [];
    const { scores, marks, norms } = this;
    const generation = (this.generation = (this.generation + 1) >>> 0 || 1);
    if (generation === 1) marks.fill(0);
    const touched: number[] = [];
    const seen = new Set<string>();
    for (const word of terms) {
      const term = stem(word);
      if (seen.has(term)) continue;
      seen.add(term);
      const p = this.postings.get(term);
      if (!p) continue;
      const n = p.rows.length;
      const idf = Math.max(Math.log((this.size - n + 0.5) / (n + 0.5)), 1e-6);
      const { rows, freqs } = p;
      for (let i = 0; i < n; i++) {
        const row = rows[i];
        const f = freqs[i];
        const add = (idf * f * (K1 + 1)) / (f + norms[row]);
        if (marks[row] === generation) scores[row] += add;
        else {
          marks[row] = generation;
          scores[row] = add;
          touched.push(row);
        }
      }
    }
    let best = touched;
    if (touched.length > limit) {
      // The limit-th best score by a native numeric sort, then only the rows at or above it.
      const all = Float64Array.from(touched, (row) => scores[row]).sort();
      const threshold = all[all.length - limit];
      best = touched.filter((row) => scores[row] >= threshold);
    }
    best.sort((a, b) => scores[b] - scores[a] || this.chunks[a].chunk_id - this.chunks[b].chunk_id);
    return best.slice(0, limit).map((row) => ({ ...this.chunks[row], score: scores[row] }));
  }
}
