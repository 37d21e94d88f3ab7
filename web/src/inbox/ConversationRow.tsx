import { Link } from 'react-router';
import type { ConversationListItem } from '../api/types';
import { contactLabel, elapsed, fullTime, shortTime } from '../ui/format';
import { useAssigneeName } from './assignee';
import { shortName } from './authors';
import { lastMessagePrefix } from './last-message';
import { useChannels, useStates } from './queries';
import { untilShort } from './snooze';
import { tagLabel } from './tags';
import { MailIcon } from './EmailChannelLine';
import { TeamBadge } from './TeamBadge';
import { isQueued } from './teams';

interface Props {
  conversation: ConversationListItem;
  href: string;
  /** The conversation open beside the list. */
  active: boolean;
  /** Where `j`/`k` are. */
  focused: boolean;
  selected: boolean;
  meName: string | undefined;
  memberNames: readonly string[];
  onSelect: (range: boolean) => void;
}

/**
 * One conversation in two lines: who and what (contact, title, how long they wait), then the last
 * message with its author and the workflow (priority, state, assignee, team, channel, a tag).
 * Everything it shows comes with the list's page: no request per row.
 */
export function ConversationRow({ conversation: c, href, active, focused, selected, meName, memberNames, onSelect }: Props) {
  const name = contactLabel(c.contact ?? undefined, c.contact_id);
  const assignee = useAssigneeName(c.assignee_id);
  const channel = useChannels().data?.find((ch) => ch.id === c.channel_id);
  const state = useStates().data?.find((s) => s.id === c.state_id);
  const ended = c.status === 'ended';
  const last = c.last_message;
  // Ended conversations need nobody: no unread count, no waiting time, no mode.
  const unread = !ended && c.unread_count > 0 ? c.unread_count : 0;
  const waiting = !ended && c.waiting_since ? c.waiting_since : null;
  const classes = ['conversation-row', active && 'active', focused && 'focused', selected && 'selected', unread > 0 && 'unread', ended && 'ended'].filter(Boolean).join(' ');
  return (
    <li className={classes} data-id={c.id}>
      <input
        type="checkbox"
        className="row-check"
        aria-label={`Select the conversation with ${name}`}
        checked={selected}
        onChange={() => {}}
        onClick={(e) => onSelect(e.shiftKey)}
      />
      <Link to={href} className="row-link" aria-current={active ? 'page' : undefined}>
        <span className="row-line">
          <span className="row-name">{name}</span>
          {c.title && <span className="row-title">{c.title}</span>}
          <span className="row-end">
            {waiting ? (
              <span className="badge badge-waiting" title={`The contact has waited for an answer since ${fullTime(waiting)}`}>
                waiting {elapsed(waiting)}
              </span>
            ) : (
              <time dateTime={c.last_message_at ?? c.created_at} title={fullTime(c.last_message_at ?? c.created_at)}>
                {shortTime(c.last_message_at ?? c.created_at)}
              </time>
            )}
            {unread > 0 && (
              <span className="badge badge-unread" aria-label={`${unread} unread`}>
                {unread}
              </span>
            )}
          </span>
        </span>
        <span className="row-line">
          <span className="row-last">{last ? lastMessagePrefix(last, meName, (n) => shortName(n, memberNames)) + (last.content.trim() || '📎 A file') : <em>No messages yet</em>}</span>
          <span className="row-meta">
            {(c.priority === 'high' || c.priority === 'urgent') && <span className={`badge badge-${c.priority}`}>{c.priority}</span>}
            {c.priority === 'low' && <span className="badge">low</span>}
            {ended && <span className="badge">Ended</span>}
            {!ended && c.snoozed_until && (
              <span className="badge badge-snoozed" title={`Snoozed until ${fullTime(c.snoozed_until)}`}>
                Snoozed · {untilShort(c.snoozed_until)}
              </span>
            )}
            {!ended && c.mode === 'manual' && <span className="badge badge-manual">Human</span>}
            {state && <span className="badge badge-state" title={`State: ${state.name}`}>{state.name}</span>}
            {assignee && (
              <span className={`badge badge-assignee${assignee.own ? ' badge-assignee-own' : ''}`} title={`Assigned to ${assignee.own ? 'you' : assignee.full}`}>
                <span className="sr-only">Assigned to </span>
                {assignee.own ? 'You' : assignee.short}
              </span>
            )}
            {c.team_id && <TeamBadge teamId={c.team_id} queued={isQueued(c)} compact />}
            {channel && (
              <span className="badge badge-channel" title={`Channel: ${channel.name} (${channel.type})`}>
                {channel.type === 'email' && <MailIcon />}
                {channel.name}
              </span>
            )}
            {c.tags.length > 0 && (
              <span className="badge badge-tag" title={tagLabel(c.tags[0])}>
                {tagLabel(c.tags[0])}
              </span>
            )}
            {c.tags.length > 1 && (
              <span className="badge badge-tag-more" title={c.tags.slice(1).map(tagLabel).join(', ')}>
                +{c.tags.length - 1}
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}
