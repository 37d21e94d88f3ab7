import { Link } from 'react-router';
import { useAssigneeName } from './assignee';
import type { ConversationListItem } from '../api/types';
import { useMe } from '../auth/session';
import { contactLabel, elapsed, fullTime, shortTime } from '../ui/format';
import { previewPrefix } from './authors';
import { useContact, useMemberDirectory } from './queries';
import { TeamBadge } from './TeamBadge';
import { isQueued } from './teams';

export function ConversationRow({ conversation: c, active, href }: { conversation: ConversationListItem; active: boolean; href: string }) {
  const contact = useContact(c.contact_id).data;
  const meId = useMe().data?.id;
  const names = (useMemberDirectory().data ?? []).map((m) => m.name);
  // The list asks for include=recent_messages: the last of those is the preview.
  const last = c.recent_messages?.at(-1);
  const name = contactLabel(contact, c.contact_id);
  const assignee = useAssigneeName(c.assignee_id);
  return (
    <li>
      <Link to={href} className={`conversation-row${active ? ' active' : ''}${c.unread_count > 0 ? ' unread' : ''}`} aria-current={active ? 'page' : undefined}>
        <div className="row-top">
          <span className="row-name">{name}</span>
          <time dateTime={c.updated_at} title={fullTime(c.updated_at)}>
            {shortTime(c.last_message_at ?? c.updated_at)}
          </time>
        </div>
        <div className="row-preview">
          {c.title && <strong>{c.title} · </strong>}
          {last ? <span className="row-last">{previewPrefix(last, meId, names) + last.content}</span> : <em>No messages yet</em>}
        </div>
        <div className="row-badges">
          {c.unread_count > 0 && (
            <span className="badge badge-unread" aria-label={`${c.unread_count} unread`}>
              {c.unread_count}
            </span>
          )}
          {c.status === 'active' && c.handoff && c.waiting_since && (
            <span className="badge badge-waiting" title={`Waiting for a person since ${fullTime(c.waiting_since)}`}>
              Waiting · {elapsed(c.waiting_since)}
            </span>
          )}
          {c.status === 'ended' && <span className="badge">Ended</span>}
          {c.mode === 'manual' && <span className="badge badge-manual">Human</span>}
          {assignee && (
            <span className={`badge badge-assignee${assignee.own ? ' badge-assignee-own' : ''}`} title={`Assigned to ${assignee.own ? 'you' : assignee.full}`}>
              <span className="initial" aria-hidden="true">
                {assignee.full.charAt(0).toUpperCase()}
              </span>
              <span className="sr-only">Assigned to </span>
              {assignee.own ? 'You' : assignee.short}
            </span>
          )}
          {c.team_id && <TeamBadge teamId={c.team_id} queued={isQueued(c)} compact />}
          {c.csat && (
            <span className="badge badge-csat" aria-label={`Rated ${c.csat.rating} out of 5`}>
              ★ {c.csat.rating}
            </span>
          )}
          {(c.priority === 'high' || c.priority === 'urgent') && <span className={`badge badge-${c.priority}`}>{c.priority}</span>}
          {c.tags.slice(0, 3).map((t) => (
            <span key={t} className="badge badge-tag">
              #{t}
            </span>
          ))}
        </div>
      </Link>
    </li>
  );
}
