import { useEffect, useRef } from 'react';
import { api } from '../api/client';
import { useViewers } from '../realtime/presence';
import { isStreamOpen, onStreamOpen } from '../realtime/useEventStream';

/** Watchers let a notice fade after ~40 s, so a refresh every 15 s survives one lost request. */
const REFRESH_MS = 15_000;

/**
 * Tells the other members this one has the conversation open: at once (or, on a page still
 * connecting, once its event stream listens, since the others answer at once and an answer sent
 * before would be lost), every 15 s while the tab is visible, again when it becomes visible or
 * the stream reconnects, and "closed" on leaving. A hidden tab stops
 * refreshing and fades on their side. Someone arriving is answered at once, so they see who is
 * already here without waiting for the next refresh. A lost notice only hides a hint, so failures
 * are ignored.
 */
export function useViewingSignal(conversationId: string, meId: string | undefined): void {
  // keepalive: the "closed" sent as the tab goes away still leaves.
  const post = (viewing: boolean) =>
    void api.POST('/api/v1/conversations/{id}/viewing', { params: { path: { id: conversationId } }, body: { viewing }, keepalive: !viewing }).catch(() => {});
  const postRef = useRef(post);
  postRef.current = post;

  const others = useViewers(conversationId)
    .map((v) => v.id)
    .filter((id) => id !== meId)
    .sort()
    .join();
  const known = useRef(new Set<string>());
  useEffect(() => {
    const ids = others ? others.split(',') : [];
    const arrived = ids.some((id) => !known.current.has(id));
    known.current = new Set(ids);
    if (arrived && document.visibilityState === 'visible') postRef.current(true);
  }, [others]);

  useEffect(() => {
    const post = (viewing: boolean) => postRef.current(viewing);
    const visible = () => document.visibilityState === 'visible';
    if (visible() && isStreamOpen()) post(true);
    const offOpen = onStreamOpen(() => visible() && post(true));
    const timer = setInterval(() => visible() && post(true), REFRESH_MS);
    const onVisibility = () => visible() && post(true);
    const onLeave = () => post(false);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onLeave);
    return () => {
      clearInterval(timer);
      offOpen();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onLeave);
      post(false);
    };
  }, [conversationId]);
}
