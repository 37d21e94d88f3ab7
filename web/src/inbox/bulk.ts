/** What a bulk action's answer holds for one id (the API's shape, spelled out for the tests). */
export interface BulkResultLike {
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}

const SHOWN_FAILURES = 3;

/** "2 of 50 could not be changed: Alice: it has ended; …", or how many were changed. */
export function bulkOutcome(results: readonly BulkResultLike[], nameOf: (id: string) => string): { ok: boolean; text: string } {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return { ok: true, text: `${results.length} ${results.length === 1 ? 'conversation' : 'conversations'} changed.` };
  const reasons = failed.slice(0, SHOWN_FAILURES).map((r) => `${nameOf(r.id)}: ${(r.error?.message ?? 'it could not be changed').replace(/\.$/, '')}`);
  const more = failed.length > SHOWN_FAILURES ? `; and ${failed.length - SHOWN_FAILURES} more` : '';
  return { ok: false, text: `${failed.length} of ${results.length} could not be changed: ${reasons.join('; ')}${more}.` };
}
