import { requireMember } from '../../shared/auth/guards.js';
import type { MemberPrincipal, Principal } from '../../shared/auth/principal.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentCannedResponse, type CannedResponseView } from './canned-responses.presenters.js';
import { WORKSPACE_OWNER, type CannedResponseRow, type CannedResponsesRepository } from './canned-responses.repository.js';
import type { Scope } from './canned-responses.schemas.js';

export interface CannedResponseInput {
  shortcut?: string;
  title?: string;
  content?: string;
}

const SHORTCUT = /^[a-z0-9_-]{1,32}$/;
const MAX_TITLE = 100;
const MAX_CONTENT = 5000;

/** The fields as stored, or a 400 that says in plain words what to change. */
function cleaned(input: CannedResponseInput): CannedResponseInput {
  const problems: Record<string, string[]> = {};
  const out: CannedResponseInput = {};
  if (input.shortcut !== undefined) {
    // A leading slash is how it is typed in the composer, not part of the name.
    out.shortcut = input.shortcut.trim().replace(/^\//, '');
    if (!SHORTCUT.test(out.shortcut)) {
      problems.shortcut = [
        out.shortcut === '' ? 'Give the shortcut a name' : 'Use 1 to 32 lower-case letters, digits, dashes or underscores (no spaces), like "refund-policy"',
      ];
    }
  }
  if (input.title !== undefined) {
    out.title = input.title.trim();
    if (out.title.length > MAX_TITLE) problems.title = [`Keep the title to ${MAX_TITLE} characters (it has ${out.title.length})`];
  }
  if (input.content !== undefined) {
    out.content = input.content;
    if (!input.content.trim()) problems.content = ['Write the text to insert'];
    else if (input.content.length > MAX_CONTENT) problems.content = [`Keep the text to ${MAX_CONTENT.toLocaleString('en')} characters (it has ${input.content.length.toLocaleString('en')})`];
  }
  const fields = Object.keys(problems);
  if (fields.length > 0) throw badRequest(fields.map((f) => problems[f][0]).join('. '), problems);
  return out;
}

const taken = (shortcut: string, scope: Scope) =>
  conflict(
    scope === 'workspace' ? `The workspace already has a response with the shortcut /${shortcut}` : `You already have a response with the shortcut /${shortcut}`,
    { shortcut: ['is already taken'] },
  );

/**
 * Canned responses: the workspace's, managed by admins, and each member's own. A member sees both;
 * another member's personal response does not exist for them (404). API keys have no inbox (403).
 */
export function createCannedResponsesUseCases({ responses }: { responses: CannedResponsesRepository }) {
  async function guarded<T>(shortcut: string, scope: Scope, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e)) throw taken(shortcut, scope);
      throw e;
    }
  }

  /** The response as this member may change it: someone else's personal one is not found, a workspace one needs an admin. */
  async function editable(member: MemberPrincipal, id: string): Promise<CannedResponseRow> {
    const row = await responses.findById(member.accountId, id);
    if (!row || (row.scope === 'personal' && row.owner_key !== member.memberId)) throw notFound('canned response');
    if (row.scope === 'workspace' && member.role !== 'admin') throw forbidden('Only admins can change the workspace’s canned responses');
    return row;
  }

  return {
    async list(principal: Principal, query: { q?: string; cursor?: string; limit?: number }) {
      const member = requireMember(principal);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await responses.listVisible(member.accountId, member.memberId, { q: query.q, after, limit });
      return toPage(rows, limit, (r) => [r.shortcut, r.id], presentCannedResponse);
    },

    async create(principal: Principal, input: CannedResponseInput & { shortcut: string; content: string; scope?: Scope }): Promise<CannedResponseView> {
      const member = requireMember(principal);
      const scope = input.scope ?? 'personal';
      if (scope === 'workspace' && member.role !== 'admin') throw forbidden('Only admins can add canned responses for the whole workspace; add a personal one instead');
      const fields = cleaned(input);
      const now = nowIso();
      const row: CannedResponseRow = {
        id: uuidv7(),
        account_id: member.accountId,
        scope,
        owner_key: scope === 'workspace' ? WORKSPACE_OWNER : member.memberId,
        created_by: member.memberId,
        shortcut: fields.shortcut!,
        title: fields.title ?? '',
        content: fields.content!,
        created_at: now,
        updated_at: now,
      };
      await guarded(row.shortcut, scope, () => responses.insert(row));
      return presentCannedResponse(row);
    },

    async update(principal: Principal, id: string, input: CannedResponseInput): Promise<CannedResponseView> {
      const member = requireMember(principal);
      const current = await editable(member, id);
      const fields = cleaned(input);
      const patch: Partial<CannedResponseRow> = {};
      if (fields.shortcut !== undefined && fields.shortcut !== current.shortcut) patch.shortcut = fields.shortcut;
      if (fields.title !== undefined && fields.title !== current.title) patch.title = fields.title;
      if (fields.content !== undefined && fields.content !== current.content) patch.content = fields.content;
      if (Object.keys(patch).length === 0) return presentCannedResponse(current);
      const row = await guarded(patch.shortcut ?? current.shortcut, current.scope, () =>
        responses.update(member.accountId, id, { ...patch, updated_at: nowIso() }),
      );
      if (!row) throw notFound('canned response');
      return presentCannedResponse(row);
    },

    async delete(principal: Principal, id: string): Promise<void> {
      const member = requireMember(principal);
      await editable(member, id);
      if (!(await responses.delete(member.accountId, id))) throw notFound('canned response');
    },
  };
}

export type CannedResponsesUseCases = ReturnType<typeof createCannedResponsesUseCases>;
