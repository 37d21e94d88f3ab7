/** A `/word` being typed: where its slash is, and the word after it. */
export interface SlashToken {
  start: number;
  query: string;
}

/**
 * The `/…` right before the caret, when the slash opens the text or follows a space or a line
 * break (so "and/or" or a URL never opens the picker), or null.
 */
export function slashTokenAt(text: string, caret: number): SlashToken | null {
  const m = /(^|\s)\/([^\s/]{0,40})$/.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2].length - 1, query: m[2] };
}

/** The text with the token replaced by `insert`, and where the caret goes after it. */
export function replaceToken(text: string, token: SlashToken, caret: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, token.start) + insert + text.slice(caret), caret: token.start + insert.length };
}
