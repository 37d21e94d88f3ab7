/**
 * The new words of a reply: the earlier mail it quotes and the sender's signature taken off, so
 * the conversation (and the AI) reads what the customer wrote now. The full text stays with the
 * mail (`email_messages.original_text`).
 */

/** "On Tue, 3 Dec 2024 at 10:00, Jane <jane@example.com> wrote:" and its translations, up to three lines long. */
const ATTRIBUTION = [
  /^On\b[\s\S]{0,400}\bwrote:$/i, // English (Gmail, Apple Mail, Thunderbird)
  /^Am\b[\s\S]{0,400}\bschrieb\b[\s\S]{0,200}:$/i, // German
  /^Le\b[\s\S]{0,400}\ba écrit\s*:$/i, // French
  /^El\b[\s\S]{0,400}\bescribió:$/i, // Spanish
  /^Op\b[\s\S]{0,400}\bgeschreven:$/i, // Dutch
  /^Il giorno\b[\s\S]{0,400}\bha scritto:$/i, // Italian
];

/** Outlook's separators above the quoted mail. */
const SEPARATORS = [
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Forwarded message|Weitergeleitete Nachricht)\s*-{2,}$/i,
  /^_{10,}$/, // Outlook on the web: a rule, then From:/Sent:
];

/** The header block Outlook writes above the quoted mail ("From: … Sent: … To: … Subject: …"). */
const OUTLOOK_FROM = /^\*?(From|Von|De)\s*:\*?\s/i;
const OUTLOOK_FIELD = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|To|An|À|Para|Subject|Betreff|Objet|Asunto)\s*:\*?/i;

/** What phones and mail apps add under the message. */
const DEVICE_SIGNATURES = [
  /^Sent from my (iPhone|iPad|Android|mobile|Galaxy|phone|BlackBerry)\b.*$/i,
  /^Sent from (Mail|Outlook|Yahoo Mail|Samsung Mobile) for .*$/i,
  /^Get Outlook for (iOS|Android)\b.*$/i,
  /^Von meinem (iPhone|iPad|Android|Smartphone)\b.*gesendet\.?$/i,
  /^Gesendet von meinem (iPhone|iPad|Android|Smartphone)\b.*$/i,
  /^Envoyé de mon (iPhone|iPad|Android|smartphone)\b.*$/i,
  /^Enviado desde mi (iPhone|iPad|Android|smartphone)\b.*$/i,
];

const isQuoted = (line: string) => line.trimStart().startsWith('>');
const isBlank = (line: string) => line.trim() === '';

/** Where the quoted earlier mail starts (an attribution, a separator, Outlook's header block), or -1. */
function quoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (SEPARATORS.some((re) => re.test(line))) return i;
    // An attribution may be wrapped over up to three lines.
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      const joined = lines
        .slice(i, i + span)
        .map((l) => l.trim())
        .join(' ');
      if (ATTRIBUTION.some((re) => re.test(joined))) return i;
    }
    if (OUTLOOK_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 6).filter((l) => !isBlank(l));
      if (next.filter((l) => OUTLOOK_FIELD.test(l.trim())).length >= 2) return i;
    }
  }
  return -1;
}

/** The lines without the quote block at their end ("> …" lines, blank lines between them). */
function withoutTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1])) end--;
  let cut = end;
  while (cut > 0 && (isQuoted(lines[cut - 1]) || isBlank(lines[cut - 1]))) cut--;
  if (!lines.slice(cut, end).some(isQuoted)) return lines.slice(0, end);
  return lines.slice(0, cut);
}

/** The lines above the signature: the `-- ` delimiter, or a phone's "Sent from my iPhone". */
function withoutSignature(lines: string[]): string[] {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line === '-- ' || line === '--') return lines.slice(0, i);
  }
  // A device's line, among the last few lines only (not words in the middle of a message).
  for (let i = Math.max(0, lines.length - 4); i < lines.length; i++) {
    if (DEVICE_SIGNATURES.some((re) => re.test(lines[i].trim()))) return lines.slice(0, i);
  }
  return lines;
}

/**
 * The reply's own text: the earlier mail it quotes (the attribution line and everything below it,
 * Outlook's "Original Message" block, a trailing "> " quote) and the signature removed. Never
 * empty: when nothing would be left (a mail that is all quote), the original text is kept.
 */
export function stripQuotes(text: string): string {
  const original = text.replace(/\r\n?/g, '\n').trim();
  let lines = original.split('\n');
  const start = quoteStart(lines);
  if (start >= 0) lines = lines.slice(0, start);
  lines = withoutTrailingQuote(lines);
  lines = withoutSignature(lines);
  lines = withoutTrailingQuote(lines);
  const stripped = lines.join('\n').trim();
  return stripped === '' ? original : stripped;
}
