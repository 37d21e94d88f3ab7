/** The agent's keywords (seed 002) found in a text: case-insensitive, on word boundaries. */
export function findKeywords(text: string, keywords: string[]): string[] {
  const found: string[] = [];
  for (const keyword of keywords) {
    const k = keyword.trim();
    if (!k) continue;
    const escaped = k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
    if (re.test(text)) found.push(k);
  }
  return found;
}
