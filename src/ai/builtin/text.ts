/**
 * Plain-text helpers shared by the knowledge module (chunking, search terms) and the built-in
 * responder (tokens, sentences). Language-specific parts are English, like the full-text indexes.
 */

/** Function words and question fillers that carry no topic. */
export const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can cannot could did do does doing done down during each few for from further
  had has have having he her here hers herself him himself his how i if in into is it its itself just
  me more most my myself no nor not now of off on once only or other ought our ours ourselves out over
  own same she should so some such than that the their theirs them themselves then there these they
  this those through to too under until up very was we were what when where which while who whom why
  will with would you your yours yourself yourselves let lets us also still yet ever even really
  actually please pls plz hi hello hey hiya thanks thank thx cheers ok okay yes yeah yep sure one
  anything something everything nothing someone anyone else way thing things stuff lot bit kind sort
  get gets got getting go goes going went want wanted wants like need needs needed know tell able
  possible wondering wonder question questions help us im ive id ill youre dont doesnt didnt cant
  wont isnt arent wasnt havent hasnt shouldnt couldnt wouldnt may might must shall`
    .split(/\s+/)
    .filter(Boolean),
);

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan['’]t\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/n['’]t\b/g, ' not'],
  [/['’](s|re|ll|ve|d|m)\b/g, ''],
];

/** Lower case, accents removed, contractions expanded: the form every comparison uses. */
export function normalizeText(text: string): string {
  let s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  return s;
}

/** Words and numbers of a text, in order, normalised; punctuation is dropped. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** At most this many terms reach the full-text engines, so a pasted essay cannot make a huge query. */
export const MAX_SEARCH_TERMS = 48;

/**
 * The distinct topical words of a query, in order, safe to hand to FTS5 or to_tsquery (letters and
 * digits only). Single characters and stopwords are dropped.
 */
export function searchTerms(query: string): string[] {
  const seen = new Set<string>();
  for (const token of tokenize(query)) {
    if (token.length < 2 || token.length > 40 || isStopword(token)) continue;
    seen.add(token);
    if (seen.size >= MAX_SEARCH_TERMS) break;
  }
  return [...seen];
}

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'mr', 'mrs', 'ms', 'dr', 'st', 'no', 'vs', 'approx', 'inc', 'ltd', 'co', 'min', 'max']);

/**
 * Splits text into sentences. Line breaks always end a unit (headings, list items); inside a line a
 * sentence ends at . ! or ? followed by a capital or a digit, unless the dot ends an abbreviation
 * or sits inside a number (£39.99).
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.trim();
    if (!line) continue;
    const boundary = /[.!?]+["'”’)\]]*\s+(?=["'“‘([]?[\p{Lu}\p{N}£$€])/gu;
    let start = 0;
    for (let m = boundary.exec(line); m; m = boundary.exec(line)) {
      const before = line.slice(start, m.index);
      const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord)) continue;
      const sentence = line.slice(start, m.index + m[0].length).trim();
      if (sentence) out.push(sentence);
      start = m.index + m[0].length;
    }
    const rest = line.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out;
}
