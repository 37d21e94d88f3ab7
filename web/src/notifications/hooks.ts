import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { playChime, showDesktop } from './alerts';
import { setFaviconDot } from './favicon';
import { prefOn } from './prefs';
import { useMarkAllRead, type AppNotification } from './queries';

const TITLE = 'Parley';

/** "(3) Parley" in the tab while anything is unread, and a dot on its icon. */
export function useUnreadInTab(unread: number): void {
  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${TITLE}` : TITLE;
    setFaviconDot(unread > 0);
  }, [unread]);
  useEffect(
    () => () => {
      document.title = TITLE;
      setFaviconDot(false);
    },
    [],
  );
}

function useDocumentHidden(): boolean {
  const [hidden, setHidden] = useState(() => document.hidden);
  useEffect(() => {
    const update = () => setHidden(document.hidden);
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return hidden;
}

/**
 * Chimes (when the member turned sound on) and shows desktop notifications (when they enabled them
 * and the tab is hidden) for notifications that are new since the page loaded: unseen ones, and a
 * conversation's message notification told of a newer message.
 */
export function useAlerts(items: AppNotification[] | undefined): void {
  const seen = useRef<Map<string, string> | null>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!items) return;
    const known = seen.current;
    seen.current = new Map(items.map((n) => [n.id, n.created_at]));
    // The first answer is what was there before: no fanfare for it.
    if (known === null) return;
    const fresh = items.filter((n) => n.read_at === null && known.get(n.id) !== n.created_at);
    if (fresh.length === 0) return;
    if (prefOn('sound')) playChime();
    if (prefOn('desktop') && document.hidden) {
      for (const n of fresh.slice(0, 3)) showDesktop(n, (id) => navigate(`/inbox/${id}`));
    }
  }, [items, navigate]);
}

/**
 * The conversation on screen has been seen: its notifications are marked read while the tab is
 * visible (a hidden tab keeps them unread, so the title and desktop still tell).
 */
export function useReadOpenConversation(items: AppNotification[] | undefined): void {
  const { pathname } = useLocation();
  const hidden = useDocumentHidden();
  const { mutate } = useMarkAllRead();
  const tried = useRef('');
  const openId = /^\/inbox\/([0-9a-f-]{36})(?:\/|$)/i.exec(pathname)?.[1];
  const unreadHere = openId && !hidden ? (items ?? []).filter((n) => n.read_at === null && n.conversation_id === openId) : [];
  // Once per set of unread notifications: a failed call is not repeated in a loop.
  const key = unreadHere.length > 0 ? `${openId} ${unreadHere.map((n) => `${n.id}@${n.created_at}`).join(',')}` : '';
  useEffect(() => {
    if (!key || !openId || tried.current === key) return;
    tried.current = key;
    mutate(openId);
  }, [key, openId, mutate]);
}
