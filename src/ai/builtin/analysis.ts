import { stem } from './stemmer.js';
import { GROUP_WORDS, INTENTS, PHRASES, WORD_GROUPS, phraseAt, type Intent } from './synonyms.js';
import { isStopword, tokenize } from './text.js';

/** One thing the customer asks about: a word (matched exactly or by synonym) or a known phrase. */
export interface Concept {
  key: string;
  /** The word's stem for exact matches; null for a phrase, which matches through its groups. */
  stem: string | null;
  groups: number[];
  /** 1 for a topical word, less for words that frame a question rather than name its subject. */
  weight: number;
  /** The words as typed, for the full-text search. */
  words: string[];
}

export interface QueryAnalysis {
  concepts: Concept[];
  intents: Set<Intent>;
}

/** What a passage, title or sentence contains, in the form concepts are matched against. */
export interface Profile {
  /** Stem → occurrences, stopwords excluded. */
  tf: Map<string, number>;
  /** Synonym group → occurrences of any member word or phrase. */
  groups: Map<number, number>;
  /** Number of topical words. */
  size: number;
  /** Stems by their first letters, for near matches. */
  byPrefix: Map<string, string[]>;
}

/**
 * Words that frame a question ("how long", "next week", "the first time") more than they name
 * its subject; they count, but a passage is not "about" the question because it has them.
 */
const WEAK = new Set(
  `long time today tomorrow yesterday tonight now soon next last first new old good bad best better
  right work use make take give put find see look say come day week month year much many little big
  small happen still already again back people someone usual normal typical special particular specific
  certain exactly show mean seem try ask allow`
    .split(/\s+/)
    .map(stem),
);
const WEAK_WEIGHT = 0.4;
/**
 * Words that name the kind of answer rather than its subject: "your return policy" is about
 * returns, and an article that happens to say "policy" is no better for it.
 */
const ASKS_FOR = new Set(['policy', 'policies', 'rule', 'rules'].map(stem));
const QUESTION_WORDS = new Set(['how', 'what', 'which', 'when']);
const FRAMING_WEIGHT = 0.2;

/** Phrases by their first stem, so profiling a passage checks only the phrases that can start at a word. */
const PHRASES_BY_FIRST = new Map<string, typeof PHRASES>();
for (const p of PHRASES) PHRASES_BY_FIRST.set(p.stems[0], [...(PHRASES_BY_FIRST.get(p.stems[0]) ?? []), p]);

function wordGroups(s: string): number[] {
  return WORD_GROUPS.get(s) ?? [];
}

/** Builds the profile of a text (a passage's content, a title, a sentence). */
export function profileText(text: string): Profile {
  const tokens = tokenize(text);
  const stems = tokens.map(stem);
  const tf = new Map<string, number>();
  const groups = new Map<number, number>();
  const add = (g: number) => groups.set(g, (groups.get(g) ?? 0) + 1);
  const byPrefix = new Map<string, string[]>();
  let size = 0;
  for (let i = 0; i < stems.length; i++) {
    for (const phrase of PHRASES_BY_FIRST.get(stems[i]) ?? []) {
      if (phraseAt(stems, i, phrase.stems) > 0) {
        phrase.groups.forEach(add);
      }
    }
    if (isStopword(tokens[i])) continue;
    size++;
    const count = tf.get(stems[i]) ?? 0;
    tf.set(stems[i], count + 1);
    if (count === 0 && stems[i].length >= PREFIX_LENGTH) {
      const key = stems[i].slice(0, PREFIX_LENGTH);
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), stems[i]]);
    }
    wordGroups(stems[i]).forEach(add);
  }
  return { tf, groups, size, byPrefix };
}

/** Turns a customer's message into the concepts to look for and the kind of fact wanted. */
export function analyseQuery(text: string): QueryAnalysis {
  const tokens = tokenize(text);
  const stems = tokens.map(stem);
  const { intents, framing } = detectIntents(stems);
  const concepts = new Map<string, Concept>();
  let i = 0;
  while (i < stems.length) {
    const phrase = PHRASES_BY_FIRST.get(stems[i])?.find((p) => phraseAt(stems, i, p.stems) > 0);
    if (phrase) {
      const end = phraseAt(stems, i, phrase.stems);
      const key = phrase.stems.join(' ');
      const words = tokens.slice(i, end).filter((t) => !isStopword(t));
      if (!concepts.has(key)) concepts.set(key, { key, stem: null, groups: phrase.groups, weight: 1, words });
      i = end;
      continue;
    }
    const token = tokens[i];
    const s = stems[i];
    i++;
    if (isStopword(token) || ASKS_FOR.has(s) || (token.length < 2 && !/\d/.test(token))) continue;
    if (concepts.has(s)) continue;
    // Numbers and times ("3", "9pm") help rank but do not say what the question is about; nor
    // does the "days" of "which days…", which asks for a kind of fact.
    const weak = WEAK.has(s) || /\d/.test(token);
    const weight = framing.has(i - 1) ? FRAMING_WEIGHT : weak ? WEAK_WEIGHT : 1;
    concepts.set(s, { key: s, stem: s, groups: wordGroups(s), weight, words: [token] });
  }
  return { concepts: [...concepts.values()], intents };
}

/** The question shapes in a message, and which word positions belong to a multi-word shape. */
function detectIntents(stems: string[]): { intents: Set<Intent>; framing: Set<number> } {
  const intents = new Set<Intent>();
  const framing = new Set<number>();
  for (let i = 0; i < stems.length; i++) {
    for (const { stems: p, intent } of INTENTS) {
      const end = phraseAt(stems, i, p);
      if (end < 0) continue;
      intents.add(intent);
      // "how quickly", "which days": the words after the question word frame the question.
      if (p.length > 1 && QUESTION_WORDS.has(p[0])) for (let k = i; k < end; k++) framing.add(k);
    }
  }
  return { intents, framing };
}

/** The words to hand to full-text search: the customer's own, and optionally their synonyms. */
export function searchWords(analysis: QueryAnalysis, withSynonyms: boolean): string {
  const words = new Set<string>();
  for (const c of analysis.concepts) for (const w of c.words) words.add(w);
  if (withSynonyms) {
    for (const c of analysis.concepts) for (const g of c.groups) for (const w of GROUP_WORDS[g]) words.add(w);
  }
  return [...words].join(' ');
}

/** How a concept is found in a profile: 1 for the word itself or its phrase, 0.8 for a synonym, else 0. */
export const SYNONYM_MATCH = 0.8;

/** A stem that differs only by a short ending ("deliv" / "deliveri", "week" / "weekli"): Porter leaves such pairs apart. */
export const NEAR_MATCH = 0.85;
const PREFIX_LENGTH = 4;
const MAX_ENDING = 3;

export function matchConcept(concept: Concept, profile: Profile): number {
  if (concept.stem !== null) {
    if (profile.tf.has(concept.stem)) return 1;
    if (nearStem(concept.stem, profile) !== null) return NEAR_MATCH;
  }
  for (const g of concept.groups) {
    if (profile.groups.has(g)) return concept.stem === null ? 1 : SYNONYM_MATCH;
  }
  return 0;
}

/** A stem of the profile that is the concept's stem with a short ending added or removed. */
export function nearStem(s: string, profile: Profile): string | null {
  if (s.length < PREFIX_LENGTH) return null;
  for (const other of profile.byPrefix.get(s.slice(0, PREFIX_LENGTH)) ?? []) {
    const [short, long] = other.length < s.length ? [other, s] : [s, other];
    if (long.length - short.length <= MAX_ENDING && long.startsWith(short)) return other;
  }
  return null;
}

/** How often a concept occurs in a profile, counting its synonyms. */
export function conceptFrequency(concept: Concept, profile: Profile): number {
  let n = concept.stem !== null ? (profile.tf.get(concept.stem) ?? 0) : 0;
  for (const g of concept.groups) n = Math.max(n, profile.groups.get(g) ?? 0);
  return n;
}

/** Whether a stem of a text is one of the concept's words, a near form of it, or a synonym. */
export function stemMatches(concept: Concept, s: string): boolean {
  if (concept.stem !== null) {
    if (concept.stem === s) return true;
    const [short, long] = s.length < concept.stem.length ? [s, concept.stem] : [concept.stem, s];
    if (short.length >= PREFIX_LENGTH && long.length - short.length <= MAX_ENDING && long.startsWith(short)) return true;
  }
  return wordGroups(s).some((g) => concept.groups.includes(g));
}
