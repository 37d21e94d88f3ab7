import type { Principal } from '../../shared/auth/principal.js';
import { requireMember } from '../../shared/auth/guards.js';
import { parseJsonObject } from '../../shared/json/json.js';
import type { ViewsRepository } from '../views/views.repository.js';
import type { BuiltInCounts, ConversationCountsRepository } from './conversations.counts.repository.js';
import { seesNotes, toListArgs, type ListConversationsInput } from './conversations.queries.js';
import type { ConversationsRepository } from './conversations.repository.js';

export type InboxCounts = BuiltInCounts & { views: Array<{ id: string; count: number }> };

/**
 * The numbers beside the inbox's views: the built-in views in one query, then each saved view the
 * member sees with the list's own filters (so a count is always what opening the view shows).
 */
export function createConversationCountsUseCases({
  counts,
  conversations,
  views,
}: {
  counts: ConversationCountsRepository;
  conversations: ConversationsRepository;
  views: Pick<ViewsRepository, 'visibleTo'>;
}) {
  return {
    async counts(principal: Principal): Promise<InboxCounts> {
      const member = requireMember(principal);
      const { accountId, memberId } = member;
      const [builtIn, saved] = await Promise.all([counts.builtIn(accountId, memberId), views.visibleTo(accountId, memberId)]);
      const perView: InboxCounts['views'] = [];
      for (const view of saved) {
        const { filters } = toListArgs(parseJsonObject(view.filters) as ListConversationsInput, memberId);
        perView.push({ id: view.id, count: await conversations.count(accountId, { ...filters, searchNotes: seesNotes(member) }) });
      }
      return { ...builtIn, views: perView };
    },
  };
}

export type ConversationCountsUseCases = ReturnType<typeof createConversationCountsUseCases>;
