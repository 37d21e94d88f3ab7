import { matchConcept, profileText, type Profile, type QueryAnalysis } from './analysis.js';
import type { Intent } from './synonyms.js';
import { splitSentences } from './text.js';

/** One sentence (or heading line) of a passage, analysed once and cached with the passage. */
export interface SentenceUnit {
  text: string;
  /** A heading line: never quoted alone, but it lends its words to the sentences under it. */
  heading: boolean;
  profile: Profile;
  /** The kinds of fact the sentence holds (a duration, an amount…). */
  facts: Set<Intent>;
  /** Which paragraph of the passage it belongs to. */
  paragraph: number;
}

/** The kind of fact a question shape asks for, as it shows in a sentence. */
const FACT_PATTERNS: Record<Intent, RegExp> = {
  duration:
    /\b\d+(?:\s*(?:-|–|to|or|and)\s*\d+)?\s*(?:business |working |calendar )?(?:minutes?|mins?|hours?|days?|weeks?|months?|years?)\b|\bwithin\b|\bup to\b/i,
  amount: /[£$€]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:%|percent|dollars?|pounds?|euros?|kcal|calories)|\bfree\b/i,
  number: /\b\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\b/i,
  when: /\b(?:when|once|after|before|as soon as|until|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|morning|evening|midnight|noon)\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d+\s*(?:business |working )?(?:days?|hours?|weeks?)\b/i,
  day: /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|daily|every day)\b|\b\d{1,2}(?:st|nd|rd|th)\b/i,
  clock: /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b(?:midnight|noon|o'clock)\b/i,
  contact: /\b\d[\d\s-]{6,}\d\b|@[\w-]+\.\w+|\bchat\b/i,
};
const INTENTS = Object.keys(FACT_PATTERNS) as Intent[];

function isHeading(line: string): boolean {
  return /^#{1,6}\s/.test(line) || (line.length <= 80 && !/[.!?:;)"”]$/.test(line) && !/^[-*•]/.test(line));
}

/** Removes markdown decoration so a quote reads as prose. */
function clean(text: string): string {
  return text
    .replace(/^#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/__([^_]+)__/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .trim();
}

const cache = new Map<string, SentenceUnit[]>();
const CACHE_LIMIT = 20_000;

/** A passage's sentences; pure in the text, so each passage is split and analysed once per process. */
export function sentenceUnits(content: string): SentenceUnit[] {
  let units = cache.get(content);
  if (units) return units;
  units = [];
  const paragraphs = content.split(/\n[ \t]*\n/);
  for (let paragraph = 0; paragraph < paragraphs.length; paragraph++) {
    for (const raw of splitSentences(paragraphs[paragraph])) {
      const text = clean(raw);
      if (!text) continue;
      const facts = new Set(INTENTS.filter((i) => FACT_PATTERNS[i].test(text)));
      units.push({ text, heading: isHeading(raw.trim()), profile: profileText(text), facts, paragraph });
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(content, units);
  return units;
}

/** A sentence holding the kind of fact asked for (a duration for "how long") scores this much more. */
const FACT_BOOST = 0.5;
/** A concept found in the heading above a sentence counts this much in the sentence. */
const HEADING_SHARE = 0.5;

/**
 * How well each sentence answers the question: the weights of the concepts it (or, for less, its
 * heading) contains, raised when it holds the kind of fact asked for. Headings themselves score 0:
 * they are not quotable on their own.
 */
export function scoreSentences(analysis: QueryAnalysis, conceptWeights: number[], units: SentenceUnit[]): number[] {
  let heading: number[] = analysis.concepts.map(() => 0);
  return units.map((u) => {
    const matches = analysis.concepts.map((c) => matchConcept(c, u.profile));
    if (u.heading) {
      heading = matches;
      return 0;
    }
    const score = matches.reduce((sum, m, i) => sum + conceptWeights[i] * Math.max(m, HEADING_SHARE * heading[i]), 0);
    const hasFact = [...analysis.intents].some((intent) => u.facts.has(intent));
    return hasFact ? score * (1 + FACT_BOOST) : score;
  });
}

/** Whether a sentence that matches the question also holds the kind of fact it asks for. */
export function holdsAskedFact(analysis: QueryAnalysis, units: SentenceUnit[], scores: number[]): boolean {
  if (analysis.intents.size === 0) return true;
  return units.some((u, i) => scores[i] > 0 && [...analysis.intents].some((intent) => u.facts.has(intent)));
}
