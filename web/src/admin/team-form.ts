/*
 * The team form's field errors, in the team's own words where the server's details are not
 * enough; the form shows them through useFormErrors (ui/States.tsx), which takes them away as the
 * fields are edited. No imports, so the tests can load this file on its own: an ApiError
 * (api/errors.ts) fits `Refusal`.
 */

interface Refusal {
  status: number;
  message: string;
  details: Record<string, unknown>;
}

const isRefusal = (e: unknown): e is Refusal =>
  e instanceof Error && typeof (e as Partial<Refusal>).status === 'number' && typeof (e as Partial<Refusal>).details === 'object';

export type Field = 'name' | 'member_ids' | 'auto_assign' | 'max_open_per_member';
export type Problems = Partial<Record<Field, string>>;
const FIELDS: Field[] = ['name', 'member_ids', 'auto_assign', 'max_open_per_member'];

/** As api/errors.ts's `sentence`, kept here for the reason above. */
const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/**
 * The server's refusal placed at its field: a taken name (409), members that are not in the
 * workspace (422, `details.member_ids`), a value out of range (400). Anything else is for the
 * whole form (null).
 */
export function problemsOf(error: unknown): Problems | null {
  if (!isRefusal(error)) return null;
  if (error.status === 409) return { name: sentence(error.message) };
  const out: Problems = {};
  for (const [key, value] of Object.entries(error.details)) {
    const field = FIELDS.find((f) => key === f || key.startsWith(`${f}.`));
    if (!field || !Array.isArray(value) || value.length === 0) continue;
    out[field] =
      field === 'member_ids' && error.status === 422
        ? `${value.length === 1 ? 'One of the picked members is' : `${value.length} of the picked members are`} no longer in this workspace; the list is read again, pick again.`
        : sentence(String(value[0]));
  }
  return Object.keys(out).length > 0 ? out : null;
}
