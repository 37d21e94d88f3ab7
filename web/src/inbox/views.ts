/* No imports: the tests load this file on its own. */
/** The list's built-in views, in the order the views section shows them. */
export const BUILT_IN_VIEWS = [
  { id: 'open', label: 'Open', title: 'Active conversations that are not snoozed' },
  { id: 'mine', label: 'Mine', title: 'Open conversations assigned to you' },
  { id: 'unassigned', label: 'Unassigned', title: 'Open conversations nobody is assigned to' },
  { id: 'waiting', label: 'Waiting for a person', title: 'Handed to the team, and the contact’s last message is unanswered' },
  { id: 'snoozed', label: 'Snoozed', title: 'Put aside until a time, or until the contact writes' },
  { id: 'ended', label: 'Ended', title: 'Conversations that have ended' },
  { id: 'all', label: 'All', title: 'Every conversation' },
] as const;
export type BuiltInView = (typeof BUILT_IN_VIEWS)[number]['id'];

export const isBuiltInView = (id: string): id is BuiltInView => BUILT_IN_VIEWS.some((v) => v.id === id);

/** The filters a built-in view stands for (a part of what a saved view's filters hold). */
export interface BuiltInFilters {
  status?: 'active' | 'ended';
  snoozed?: boolean;
  assignee_id?: string;
  waiting?: boolean;
}

/** What a built-in view means as filters: saving "Mine" plus a tag keeps both. */
export function builtInFilters(view: BuiltInView): BuiltInFilters {
  switch (view) {
    case 'open':
      return { status: 'active', snoozed: false };
    case 'mine':
      return { status: 'active', snoozed: false, assignee_id: 'me' };
    case 'unassigned':
      return { status: 'active', snoozed: false, assignee_id: 'unassigned' };
    case 'waiting':
      return { status: 'active', snoozed: false, waiting: true };
    case 'snoozed':
      return { status: 'active', snoozed: true };
    case 'ended':
      return { status: 'ended' };
    case 'all':
      return {};
  }
}

/** What each empty view means, said plainly. */
export const EMPTY_VIEW: Record<BuiltInView, { title: string; body: string }> = {
  open: { title: 'Nothing open', body: 'New conversations show up here as they arrive.' },
  mine: { title: 'Nothing assigned to you', body: 'Conversations you take over, or that your teams hand you, show up here as they arrive.' },
  unassigned: { title: 'Everything has someone', body: 'Open conversations without an assignee show up here.' },
  waiting: { title: 'Nobody is waiting', body: 'Conversations handed to a person show up here until someone answers.' },
  snoozed: { title: 'Nothing snoozed', body: 'Snooze a conversation to put it aside until a time, or until the contact writes.' },
  ended: { title: 'Nothing has ended yet', body: 'Ended conversations show up here; they can be reopened.' },
  all: { title: 'No conversations yet', body: 'Conversations started through the API or a channel show up here as they happen.' },
};
