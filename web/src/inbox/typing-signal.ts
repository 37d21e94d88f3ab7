import { useCallback, useEffect, useRef } from 'react';
import { api } from '../api/client';

/** Senders refresh "typing" this often while keys are pressed; the server lets a notice fade after ~6 s. */
const REFRESH_MS = 3000;
/** No key for this long and the member has stopped typing. */
const IDLE_MS = 5000;

/**
 * Tells the contact (and the rest of the team) that this member is typing a reply: `true` at most
 * every 3 s while typing, `false` after 5 s without a key, on sending, and on leaving the
 * conversation. A lost notice only means an indicator not shown, so failures are ignored.
 */
export function useTypingSignal(conversationId: string) {
  const on = useRef(false);
  const lastSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const post = useCallback(
    (typing: boolean) => {
      api.POST('/api/v1/conversations/{id}/typing', { params: { path: { id: conversationId } }, body: { typing } }).catch(() => {});
    },
    [conversationId],
  );

  const stop = useCallback(() => {
    clearTimeout(idle.current);
    if (!on.current) return;
    on.current = false;
    lastSent.current = 0;
    post(false);
  }, [post]);

  const typed = useCallback(() => {
    const now = Date.now();
    if (!on.current || now - lastSent.current >= REFRESH_MS) {
      on.current = true;
      lastSent.current = now;
      post(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stop, IDLE_MS);
  }, [post, stop]);

  // Leaving the conversation (or the page) while typing says so.
  useEffect(() => stop, [stop]);

  return { typed, stop };
}
