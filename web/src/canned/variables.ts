/** What a canned response's variables are filled from; any of it may be unknown. */
export interface VariableContext {
  contact?: { name?: string | null; first_name?: string | null; email?: string | null } | null;
  member?: { name?: string | null } | null;
  conversation?: { id?: string | null } | null;
}

/** The variables a canned response may hold, as the composer offers them. */
export const VARIABLES = ['contact.name', 'contact.first_name', 'contact.email', 'member.name', 'member.first_name', 'conversation.id'] as const;
type Variable = (typeof VARIABLES)[number];

const firstWord = (name: string | null | undefined): string => name?.trim().split(/\s+/)[0] ?? '';

function valueOf(variable: Variable, ctx: VariableContext): string {
  switch (variable) {
    case 'contact.name':
      return ctx.contact?.name?.trim() ?? '';
    case 'contact.first_name':
      // A contact often has only a full name: its first word stands in for a missing first name.
      return ctx.contact?.first_name?.trim() || firstWord(ctx.contact?.name);
    case 'contact.email':
      return ctx.contact?.email?.trim() ?? '';
    case 'member.name':
      return ctx.member?.name?.trim() ?? '';
    case 'member.first_name':
      return firstWord(ctx.member?.name);
    case 'conversation.id':
      return ctx.conversation?.id ?? '';
  }
}

/**
 * Fills `{{contact.first_name}}` and the other known variables (spaces inside the braces allowed).
 * A known variable with no value becomes empty text, so a reply never shows braces to a customer;
 * an unknown one is left as typed, so a typo stays visible to the member before sending.
 */
export function fillVariables(text: string, ctx: VariableContext): string {
  return text.replace(/\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}/g, (whole, name: string) =>
    (VARIABLES as readonly string[]).includes(name) ? valueOf(name as Variable, ctx) : whole,
  );
}
