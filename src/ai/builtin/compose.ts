import { matchConcept, type QueryAnalysis } from './analysis.js';
import { scoreSentences, sentenceUnits, type SentenceUnit } from './sentences.js';

/** An answer quotes at most this many sentences of one passage, and about this many characters. */
const MAX_SENTENCES = 3;
const MAX_QUOTE_CHARS = 420;
/** A paragraph up to this long is quoted whole around its best sentence. */
const PARAGRAPH_CHARS = 320;
/** A further sentence is quoted when it is worth at least this share of the best sentence. */
const FURTHER_SENTENCE_SHARE = 0.35;
/** What a concept already quoted is worth again in a further sentence. */
const REPEAT_VALUE = 0.5;
/** A sentence next to one already quoted is worth this much more: quotes read better in one piece. */
const ADJACENT_BOOST = 1.25;

/** Two neighbouring sentences start a quote together when they cover this much more than either. */
const PAIR_GAIN = 1.3;

/** Sentences that lean on the one before ("This takes…", "It is…") are quoted with it. */
const LEANS_ON_PREVIOUS = /^(this|that|these|those|it|its|they|their|then|there|however|but|also|otherwise|if so|once|after that|in that case)\b/i;

/**
 * The sentences of a passage that answer the question, in the order they appear: the best one, the
 * sentence it leans on, then greedily the next best, a concept already quoted counting for less (a
 * quote should add information, not repeat itself) and a neighbour of a quoted sentence for more.
 */
export function selectSentences(analysis: QueryAnalysis, conceptWeights: number[], content: string): string[] {
  const units = sentenceUnits(content);
  const scores = scoreSentences(analysis, conceptWeights, units);
  const quotable = units.map((_, i) => i).filter((i) => !units[i].heading);
  if (quotable.length === 0) return units.slice(0, 1).map((u) => u.text);
  const matchesOf = (i: number) => analysis.concepts.map((c) => matchConcept(c, units[i].profile));
  const best = quotable.reduce((a, b) => (scores[b] > scores[a] ? b : a));
  if (scores[best] <= 0) return quotable.slice(0, 2).map((i) => units[i].text);

  const chosen = new Set<number>(bestAnchor(quotable, scores, matchesOf, conceptWeights, units));
  const first = Math.min(...[...chosen].map((i) => quotable.indexOf(i)));
  if (first > 0 && LEANS_ON_PREVIOUS.test(units[quotable[first]].text)) chosen.add(quotable[first - 1]);
  // A short paragraph is quoted whole: its other sentences are usually the rest of the answer
  // ("…contact our care team. We will confirm by email within 30 days.").
  const paragraph = quotable.filter((i) => units[i].paragraph === units[best].paragraph);
  const paragraphLength = paragraph.reduce((sum, i) => sum + units[i].text.length, 0);
  if (paragraph.length <= MAX_SENTENCES && paragraphLength <= PARAGRAPH_CHARS && [...chosen].every((i) => paragraph.includes(i))) {
    paragraph.forEach((i) => chosen.add(i));
  }
  const anchorScore = Math.max(...[...chosen].map((i) => scores[i]));
  const covered = new Set<number>();
  const cover = (i: number) => matchesOf(i).forEach((m, k) => m > 0 && covered.add(k));
  chosen.forEach(cover);
  let length = [...chosen].reduce((sum, i) => sum + units[i].text.length, 0);

  while (chosen.size < MAX_SENTENCES) {
    let pick = -1;
    let pickGain = FURTHER_SENTENCE_SHARE * anchorScore;
    for (const i of quotable) {
      if (chosen.has(i) || length + units[i].text.length > MAX_QUOTE_CHARS) continue;
      const repeated = matchesOf(i).reduce(
        (sum, m, k) => sum + (covered.has(k) ? (1 - REPEAT_VALUE) * conceptWeights[k] * m : 0),
        0,
      );
      const at = quotable.indexOf(i);
      const adjacent = chosen.has(quotable[at - 1]) || chosen.has(quotable[at + 1]);
      const gain = (scores[i] - repeated) * (adjacent ? ADJACENT_BOOST : 1);
      if (gain > pickGain) {
        pick = i;
        pickGain = gain;
      }
    }
    if (pick < 0) break;
    chosen.add(pick);
    cover(pick);
    length += units[pick].text.length;
  }
  return quotable.filter((i) => chosen.has(i)).map((i) => units[i].text);
}

/**
 * Where a quote starts: the best sentence, or two neighbours that together cover clearly more of
 * the question than either alone ("Ice packs are filled with gel. To dispose of one, …").
 */
function bestAnchor(
  quotable: number[],
  scores: number[],
  matchesOf: (i: number) => number[],
  weights: number[],
  units: SentenceUnit[],
): number[] {
  let anchor = [quotable.reduce((a, b) => (scores[b] > scores[a] ? b : a))];
  let anchorScore = scores[anchor[0]];
  for (let k = 0; k + 1 < quotable.length; k++) {
    const [a, b] = [quotable[k], quotable[k + 1]];
    if (units[a].text.length + units[b].text.length > MAX_QUOTE_CHARS) continue;
    const ma = matchesOf(a);
    const mb = matchesOf(b);
    const overlap = weights.reduce((sum, w, i) => sum + w * Math.min(ma[i], mb[i]), 0);
    const together = scores[a] + scores[b] - overlap;
    if (together >= PAIR_GAIN * Math.max(scores[a], scores[b]) && together > anchorScore) {
      anchor = [a, b];
      anchorScore = together;
    }
  }
  return anchor;
}

/** The decline: plain about not knowing, and pointing to a person. */
export const DECLINE_TEXT =
  "I'm sorry, I couldn't find an answer to that in our help articles. Could you rephrase your question, or would you like me to pass it on to a member of our team?";

/** For a message with nothing to search for ("?", "ok so"). */
export const CLARIFY_TEXT =
  "Could you tell me a little more about what you need help with? I can answer questions about anything in our help articles.";

/** Builds the reply text from the quoted sentences of one or two articles. */
export function composeAnswer(parts: Array<{ title: string; sentences: string[] }>, greeting: boolean): string {
  const [first, ...rest] = parts;
  const hello = greeting ? 'Hi! ' : '';
  let text = `${hello}Here's what our “${first.title}” article says: ${first.sentences.join(' ')}`;
  for (const part of rest) text += `\n\nOur “${part.title}” article also says: ${part.sentences.join(' ')}`;
  return text;
}
