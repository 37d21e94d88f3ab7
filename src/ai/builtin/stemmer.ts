/**
 * The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), the same algorithm
 * SQLite's FTS5 `porter` tokenizer applies, so "returns", "returned" and "returning" compare
 * equal. Written out here rather than added as a dependency: it is small and never changes.
 */

const consonant = '[^aeiou]';
const vowel = '[aeiouy]';
const C = `${consonant}[^aeiouy]*`;
const V = `${vowel}[aeiou]*`;

const mGreater0 = new RegExp(`^(${C})?${V}${C}`);
const mEquals1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const mGreater1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const hasVowel = new RegExp(`^(${C})?${vowel}`);
const endsCvc = new RegExp(`^${C}${vowel}[^aeiouwxy]$`);

const STEP2: Record<string, string> = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
  entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
  iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const STEP3: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };

const step2Re = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const step3Re = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const step4Re = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const step4IonRe = /^(.+?)(s|t)(ion)$/;

function porter(input: string): string {
  if (input.length < 3) return input;
  // A leading y is a consonant; mark it so the vowel patterns skip it.
  const leadingY = input[0] === 'y';
  let w = leadingY ? `Y${input.slice(1)}` : input;

  // Step 1a: plurals.
  let m: RegExpExecArray | null;
  if ((m = /^(.+?)(ss|i)es$/.exec(w))) w = m[1] + m[2];
  else if ((m = /^(.+?)([^s])s$/.exec(w))) w = m[1] + m[2];

  // Step 1b: -eed, -ed, -ing.
  if ((m = /^(.+?)eed$/.exec(w))) {
    if (mGreater0.test(m[1])) w = w.slice(0, -1);
  } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && hasVowel.test(m[1])) {
    w = m[1];
    if (/(at|bl|iz)$/.test(w)) w += 'e';
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    else if (endsCvc.test(w)) w += 'e';
  }

  // Step 1c: y -> i after a vowel-bearing stem.
  if ((m = /^(.+?)y$/.exec(w)) && hasVowel.test(m[1])) w = `${m[1]}i`;

  if ((m = step2Re.exec(w)) && mGreater0.test(m[1])) w = m[1] + STEP2[m[2]];
  if ((m = step3Re.exec(w)) && mGreater0.test(m[1])) w = m[1] + STEP3[m[2]];

  if ((m = step4Re.exec(w))) {
    if (mGreater1.test(m[1])) w = m[1];
  } else if ((m = step4IonRe.exec(w))) {
    const stem = m[1] + m[2];
    if (mGreater1.test(stem)) w = stem;
  }

  // Step 5: a final -e, and -ll.
  if ((m = /^(.+?)e$/.exec(w))) {
    const stem = m[1];
    if (mGreater1.test(stem) || (mEquals1.test(stem) && !endsCvc.test(stem))) w = stem;
  }
  if (/ll$/.test(w) && mGreater1.test(w)) w = w.slice(0, -1);

  return leadingY ? `y${w.slice(1)}` : w;
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** The Porter stem of a lower-case word; numbers and words with non-ASCII letters pass through. */
export function stem(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const out = /^[a-z]+$/.test(word) ? porter(word) : word;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
