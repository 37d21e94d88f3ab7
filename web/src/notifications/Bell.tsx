import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { elapsed, fullTime } from '../ui/format';
import { headline } from './alerts';
import { useAlerts, useReadOpenConversation, useUnreadInTab } from './hooks';
import { BellSettings } from './BellSettings';
import { useMarkAllRead, useMarkRead, useNotifications, type AppNotification } from './queries';
import './bell.css';
import { useDismiss } from '../ui/dismiss';

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6zm-2.5 15.5a2.5 2.5 0 0 0 5 0z"
        fill="currentColor"
      />
    </svg>
  );
}

function Item({ n, onOpen }: { n: AppNotification; onOpen: (n: AppNotification) => void }) {
  const unread = n.read_at === null;
  const body = (
    <>
      <span className="bell-item-what">{headline(n)}</span>
      {n.conversation_title && <span className="bell-item-conversation">{n.conversation_title}</span>}
      {n.preview && <span className="bell-item-preview">{n.preview}</span>}
      <time className="bell-item-time" dateTime={n.created_at} title={fullTime(n.created_at)}>
        {elapsed(n.created_at)}
        {elapsed(n.created_at) === 'just now' ? '' : ' ago'}
      </time>
    </>
  );
  return (
    <li className={`bell-item bell-kind-${n.kind}${unread ? ' bell-item-unread' : ''}`}>
      {unread && <span className="sr-only">Unread: </span>}
      {n.conversation_id ? (
        <Link to={`/inbox/${n.conversation_id}`} className="bell-item-link" onClick={() => onOpen(n)}>
          {body}
        </Link>
      ) : (
        <div className="bell-item-link">{body}</div>
      )}
    </li>
  );
}

/**
 * The bell in the top bar: the member's unread count, and a panel of what needs them (assigned to
 * them, handed to their team, a contact writing in their conversation, a mention). It also keeps
 * the tab's title and icon, the optional chime and desktop notifications in step with the count.
 */
export function Bell() {
  const [open, setOpen] = useState(false);
  const query = useNotifications(true);
  const page = query.data;
  const unread = page?.unread_count ?? 0;
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useUnreadInTab(unread);
  useAlerts(page?.data);
  useReadOpenConversation(page?.data);

  useDismiss(open, () => setOpen(false), root, button);

  const onOpen = (n: AppNotification) => {
    if (n.read_at === null) markRead.mutate(n.id);
    setOpen(false);
  };
  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';

  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost bell-button"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls="bell-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <section id="bell-panel" className="bell-panel" aria-label="Notifications">
          <header className="bell-panel-head">
            <h2>Notifications</h2>
            <button type="button" className="btn btn-ghost" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate(undefined)}>
              Mark all as read
            </button>
          </header>
          {query.isError ? (
            <p className="bell-empty">Notifications could not be loaded. They will be tried again shortly.</p>
          ) : !page ? (
            <p className="bell-empty">Loading…</p>
          ) : page.data.length === 0 ? (
            <p className="bell-empty">Nothing yet. You will see here conversations assigned to you or your team, new messages in yours, and mentions.</p>
          ) : (
            <ul className="bell-list">
              {page.data.map((n) => (
                <Item key={n.id} n={n} onOpen={onOpen} />
              ))}
            </ul>
          )}
          <BellSettings />
        </section>
      )}
    </div>
  );
}
