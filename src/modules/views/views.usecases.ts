import type { Principal } from '../../shared/auth/principal.js';
import { requireMember } from '../../shared/auth/guards.js';
import { forbidden, notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { nowIso } from '../../shared/time.js';
import { presentView, type ViewFilters, type ViewView } from './views.presenters.js';
import type { SavedViewRow, ViewsRepository } from './views.repository.js';

/** Views one member may own: enough for anyone, and a bound on the counts the inbox asks for. */
const MAX_VIEWS_PER_MEMBER = 50;

type Scope = 'personal' | 'shared';

/** A name as kept: trimmed, inner white space collapsed; blank is 422. */
function cleanName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') throw unprocessable('Give the view a name', { name: ['cannot be blank'] });
  return name;
}

/** Drops filters sent empty (a blank search), so a view never stores what filters nothing. */
function cleanFilters(filters: ViewFilters): ViewFilters {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out as ViewFilters;
}

/**
 * Saved views: a member sees their personal views and every shared one; a personal view is its
 * owner's alone (404 to anyone else), a shared one is changed by its owner or an admin (403 to
 * other members).
 */
export function createViewsUseCases({ views }: { views: ViewsRepository }) {
  /** The view as the member may see it, or 404. */
  async function visible(principal: Principal, id: string): Promise<{ row: SavedViewRow; owner: boolean; admin: boolean }> {
    const member = requireMember(principal);
    const row = await views.findById(member.accountId, id);
    const owner = row?.member_id === member.memberId;
    if (!row || (row.scope === 'personal' && !owner)) throw notFound('view');
    return { row, owner, admin: member.role === 'admin' };
  }

  /** The view, if the member may change it: its owner, or an admin for a shared view. */
  async function editable(principal: Principal, id: string) {
    const found = await visible(principal, id);
    if (!found.owner && !found.admin) throw forbidden('Only its owner or an admin can change a shared view');
    return found;
  }

  return {
    async list(principal: Principal): Promise<ViewView[]> {
      const member = requireMember(principal);
      return (await views.visibleTo(member.accountId, member.memberId)).map(presentView);
    },

    async get(principal: Principal, id: string): Promise<ViewView> {
      return presentView((await visible(principal, id)).row);
    },

    async create(principal: Principal, input: { name: string; scope?: Scope; filters: ViewFilters }): Promise<ViewView> {
      const member = requireMember(principal);
      const name = cleanName(input.name);
      if ((await views.countOwnedBy(member.accountId, member.memberId)) >= MAX_VIEWS_PER_MEMBER) {
        throw unprocessable(`You can save up to ${MAX_VIEWS_PER_MEMBER} views; delete one you no longer use first`);
      }
      const now = nowIso();
      const row: SavedViewRow = {
        id: uuidv7(),
        account_id: member.accountId,
        member_id: member.memberId,
        name,
        scope: input.scope ?? 'personal',
        filters: JSON.stringify(cleanFilters(input.filters)),
        created_at: now,
        updated_at: now,
      };
      await views.insert(row);
      return presentView(row);
    },

    async update(principal: Principal, id: string, input: { name?: string; scope?: Scope; filters?: ViewFilters }): Promise<ViewView> {
      const { row, owner } = await editable(principal, id);
      // Making a view personal takes it from everyone else: only its owner decides that.
      if (input.scope !== undefined && input.scope !== row.scope && !owner) {
        throw forbidden('Only its owner can change who sees a view');
      }
      const patch = {
        ...(input.name !== undefined ? { name: cleanName(input.name) } : {}),
        ...(input.scope !== undefined ? { scope: input.scope } : {}),
        ...(input.filters !== undefined ? { filters: JSON.stringify(cleanFilters(input.filters)) } : {}),
        updated_at: nowIso(),
      };
      await views.update(row.account_id, id, patch);
      return presentView({ ...row, ...patch });
    },

    async delete(principal: Principal, id: string): Promise<void> {
      const { row } = await editable(principal, id);
      await views.delete(row.account_id, id);
    },
  };
}

export type ViewsUseCases = ReturnType<typeof createViewsUseCases>;
