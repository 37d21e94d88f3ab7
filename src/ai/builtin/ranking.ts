import type { Passage } from '../provider.js';
import { conceptFrequency, matchConcept, profileText, stemMatches, type Concept, type Profile, type QueryAnalysis } from './analysis.js';
import { holdsAskedFact, scoreSentences, sentenceUnits } from './sentences.js';

/** A candidate passage with what the re-ranker found in it. */
export interface RankedPassage {
  passage: Passage;
  /** Relevance among this query's candidates (not comparable across queries). */
  rank: number;
  /** 0–1: how sure we are that this passage answers the question (comparable across queries). */
  confidence: number;
  /** 0–1: the weighted share of the question's concepts found in the passage or its title. */
  coverage: number;
  /** Topical concepts found, title matches counting more. */
  strength: number;
  /** Per concept (same order as the analysis), how well it matched: 0, 0.8 (synonym) or 1. */
  matches: number[];
}

export interface Ranking {
  /** Best first. */
  passages: RankedPassage[];
  /** Each concept's weight for picking sentences (its own weight times a damped IDF over the candidates). */
  conceptWeights: number[];
}

/** A title match counts this much more than a match in the text: articles are found by what they are about. */
const TITLE_WEIGHT = 1.5;
/** A synonym in a title is weaker evidence than the word itself: titles are short and groups broad. */
const TITLE_SYNONYM_SHARE = 0.5;
/** How much the passage's best sentence counts next to the passage as a whole. */
const SENTENCE_WEIGHT = 0.5;
/** Sentence weights add this to IDF, so a concept every candidate shares still picks sentences. */
const SENTENCE_IDF_FLOOR = 0.5;
/** Rank kept by a passage that never states the kind of fact asked for ("how much" and no amount). */
const MISSING_FACT_PENALTY = 0.75;
/** BM25's term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.5;
/**
 * Confidence is mostly coverage: a question whose subject the passage never mentions is not
 * answered by it. Strength saturates at two or three topical concepts found (title matches count
 * 1.5), which lifts long, chatty questions whose incidental words match nothing.
 */
const COVERAGE_SHARE = 0.6;
const STRENGTH_FOR_FULL_CONFIDENCE = 2.5;

const profiles = new Map<string, Profile>();
const PROFILE_CACHE_LIMIT = 20_000;

/** Profiles are pure functions of the text, so the same chunk is analysed once per process. */
function cachedProfile(text: string): Profile {
  let p = profiles.get(text);
  if (!p) {
    p = profileText(text);
    if (profiles.size >= PROFILE_CACHE_LIMIT) profiles.clear();
    profiles.set(text, p);
  }
  return p;
}

/** Inverse document frequency over the candidates: a concept every candidate has tells little. */
function idf(n: number, df: number): number {
  return Math.max(0.1, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
}

/**
 * Re-ranks full-text candidates with the query's concepts (stems and synonyms), titles weighted,
 * IDF over the candidates and BM25 saturation; returns them best first.
 *
 * Confidence blends two things: coverage (the share of the question's concepts the passage or its
 * title contains) and strength (how many concepts matched, title matches counting more), so a
 * short off-topic question sharing one incidental word stays low while a chatty on-topic one does not.
 */
export function rankPassages(analysis: QueryAnalysis, passages: Passage[]): Ranking {
  const { concepts } = analysis;
  if (concepts.length === 0 || passages.length === 0) return { passages: [], conceptWeights: [] };
  const rows = passages.map((passage) => {
    const content = cachedProfile(passage.content);
    const title = cachedProfile(passage.title);
    const inContent = concepts.map((c) => matchConcept(c, content));
    const inTitle = concepts.map((c) => matchConcept(c, title));
    // A title that is mostly the question's words is about the question; one shared word of a long
    // title ("…and charge dates") says less.
    const titleWords = [...title.tf.keys()];
    const covered = titleWords.filter((w) => concepts.some((c) => stemMatches(c, w))).length;
    const titleFocus = titleWords.length ? 0.5 + (0.5 * covered) / titleWords.length : 1;
    return { passage, content, title, inContent, inTitle, titleFocus };
  });
  const n = rows.length;
  const avgSize = rows.reduce((sum, r) => sum + r.content.size, 0) / n || 1;
  const idfs = concepts.map((_, i) => idf(n, rows.filter((r) => r.inContent[i] > 0 || r.inTitle[i] > 0).length));
  const weights = concepts.map((c, i) => c.weight * idfs[i]);
  // Within one passage a concept every candidate shares can still be what a sentence is about, so
  // sentences weigh concepts with IDF damped.
  const sentenceWeights = concepts.map((c, i) => c.weight * (SENTENCE_IDF_FLOOR + idfs[i]));
  const totalWeight = concepts.reduce((sum, c) => sum + c.weight, 0);

  const ranked = rows.map((r): RankedPassage => {
    let rank = 0;
    let covered = 0;
    let strength = 0;
    const matches = concepts.map((c: Concept, i) => {
      const freq = r.inContent[i] > 0 ? Math.max(1, conceptFrequency(c, r.content)) : 0;
      const saturation = (freq * (K1 + 1)) / (freq + K1 * (1 - B + (B * r.content.size) / avgSize)) || 0;
      // A title says what the whole article is about, even when its words are common in the others.
      const titleMatch = r.inTitle[i] === 1 ? 1 : r.inTitle[i] * TITLE_SYNONYM_SHARE;
      rank += weights[i] * r.inContent[i] * saturation + TITLE_WEIGHT * sentenceWeights[i] * titleMatch * r.titleFocus;
      const m = Math.max(r.inContent[i], r.inTitle[i]);
      covered += c.weight * m;
      // Only topical concepts are evidence: a question's framing words ("time", "next") are everywhere.
      if (c.weight === 1) strength += m * (r.inTitle[i] > 0 ? TITLE_WEIGHT : 1);
      return m;
    });
    // The passage's best sentence: concepts found together in one sentence (with the kind of fact
    // asked for) answer better than the same words scattered across a passage.
    const units = sentenceUnits(r.passage.content);
    const sentenceScores = scoreSentences(analysis, sentenceWeights, units);
    rank += SENTENCE_WEIGHT * Math.max(0, ...sentenceScores);
    // "How much…" answered by a passage without any amount is probably the wrong passage.
    if (!holdsAskedFact(analysis, units, sentenceScores)) rank *= MISSING_FACT_PENALTY;
    const coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const confidence =
      COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * Math.min(1, strength / STRENGTH_FOR_FULL_CONFIDENCE);
    return { passage: r.passage, rank, confidence, coverage, strength, matches };
  });
  ranked.sort((a, b) => b.rank - a.rank || b.confidence - a.confidence);
  return { passages: ranked, conceptWeights: sentenceWeights };
}

