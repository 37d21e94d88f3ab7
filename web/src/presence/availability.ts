import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Availability, DirectoryEntry, Member } from '../api/types';

/** The server counts an "online" older than 10 minutes as away: say it again well before. */
export const HEARTBEAT_MS = 4 * 60_000;
/** No mouse, key or focus for this long (in any of the member's tabs) and they are away. */
export const IDLE_MS = 15 * 60_000;
/** How often the idle time is looked at. */
const CHECK_MS = 30_000;
/** Activity is shared with the member's other tabs at most this often (every mouse move is not a write). */
const SHARE_ACTIVITY_MS = 15_000;

type Choice = Exclude<Availability, 'online'>;

/*
 * Three entries in localStorage, per member, so that every tab of theirs agrees:
 * - the away/offline they chose themselves, which sticks until they choose online (a reload or a
 *   new tab keeps it; signing in or out forgets it);
 * - when they last did something in any tab, so that one busy tab keeps the others from going away;
 * - what was last sent and when, so that several tabs do not all repeat "online" every 4 minutes.
 */
const choiceKey = (memberId: string) => `parley.availability.choice.${memberId}`;
const activityKey = (memberId: string) => `parley.availability.activity.${memberId}`;
const sentKey = (memberId: string) => `parley.availability.sent.${memberId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage may be off (private mode): each tab then keeps its own state, which still works.
  }
}

function readChoice(memberId: string): Choice | null {
  const value = read(choiceKey(memberId));
  return value === 'away' || value === 'offline' ? value : null;
}

/** Forgets a chosen away/offline: a new sign-in (or a sign-out) starts online again. */
export function forgetAvailabilityChoice(memberId: string): void {
  write(choiceKey(memberId), null);
}

function lastSent(memberId: string): { value: Availability; at: number } | null {
  const [value, at] = (read(sentKey(memberId)) ?? '').split('@');
  return value === 'online' || value === 'away' || value === 'offline' ? { value, at: Number(at) || 0 } : null;
}

/** Sends wait for the one before: two at once (a heartbeat and going away) must reach the server in order. */
let queue: Promise<unknown> = Promise.resolve();

/** Says an availability to the server, after any still on its way; the answer updates the cached member and directory. */
export function sendAvailability(client: QueryClient, memberId: string, availability: Availability): Promise<void> {
  const send = async () => {
    const body = await unwrap(api.POST('/api/v1/me/availability', { body: { availability } }));
    write(sentKey(memberId), `${availability}@${Date.now()}`);
    client.setQueryData<Member | null>(['me'], (old) => (old && old.id === body.data.id ? { ...old, availability: body.data.availability } : old));
    client.setQueryData<DirectoryEntry[]>(['members', 'directory'], (old) =>
      old?.map((m) => (m.id === body.data.id ? { ...m, availability: body.data.availability } : m)),
    );
  };
  const sent = queue.then(send, send);
  queue = sent.catch(() => {});
  return sent;
}

export interface AvailabilityReport {
  /** What this inbox tells the server the member is. */
  value: Availability;
  /** True when the member chose away/offline themselves (activity does not undo it). */
  chosen: boolean;
  /** The last attempt to say it failed (it is tried again on the next heartbeat or activity). */
  failed: boolean;
  choose(value: Availability): void;
}

/**
 * Keeps the member's availability true while the inbox is open: `online` on opening and every
 * 4 minutes while they are active, `away` after 15 minutes without input (mouse, keys, touch,
 * focus) and `online` again on their next input; an away/offline they choose themselves stays
 * until they choose online. Mount once, in the signed-in shell.
 */
export function useAvailabilityReporter(memberId: string | undefined): AvailabilityReport {
  const client = useQueryClient();
  const [choice, setChoice] = useState<Choice | null>(() => (memberId ? readChoice(memberId) : null));
  const [idle, setIdle] = useState(false);
  const [failed, setFailed] = useState(false);
  const value: Availability = choice ?? (idle ? 'away' : 'online');

  // Activity: this tab's last input, shared with the member's other tabs.
  const lastInput = useRef(Date.now());
  const shared = useRef(0);
  const idleRef = useRef(idle);
  idleRef.current = idle;

  /** When the member last did something here or in another of their tabs. */
  const lastActivity = useCallback(() => Math.max(lastInput.current, memberId ? Number(read(activityKey(memberId))) || 0 : 0), [memberId]);

  useEffect(() => {
    if (!memberId) return;
    setChoice(readChoice(memberId));
    const share = (now: number) => {
      shared.current = now;
      write(activityKey(memberId), String(now));
    };
    const active = () => {
      const now = Date.now();
      lastInput.current = now;
      if (idleRef.current) {
        share(now);
        setIdle(false);
      } else if (now - shared.current >= SHARE_ACTIVITY_MS) share(now);
    };
    const onVisible = () => document.visibilityState === 'visible' && active();
    const check = () => setIdle(Date.now() - lastActivity() >= IDLE_MS);
    const onStorage = (e: StorageEvent) => {
      if (e.key === choiceKey(memberId)) setChoice(readChoice(memberId));
      if (e.key === activityKey(memberId)) check();
    };
    share(Date.now());
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;
    for (const type of events) window.addEventListener(type, active, { passive: true });
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('storage', onStorage);
    const timer = setInterval(check, CHECK_MS);
    return () => {
      for (const type of events) window.removeEventListener(type, active);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('storage', onStorage);
      clearInterval(timer);
    };
  }, [memberId, lastActivity]);

  // Saying it: at once when it changes (and on opening), then every 4 minutes while online.
  const say = useCallback(
    (availability: Availability) => {
      if (!memberId) return;
      sendAvailability(client, memberId, availability).then(
        () => setFailed(false),
        () => setFailed(true),
      );
    },
    [client, memberId],
  );
  useEffect(() => {
    if (!memberId) return;
    // Another tab of the member's that just said the same thing has said it for this one too.
    const sent = lastSent(memberId);
    if (!(sent && sent.value === value && Date.now() - sent.at < 5_000)) say(value);
    if (value !== 'online') return;
    const timer = setInterval(() => {
      // Idle by now (a machine waking from sleep fires this and the idle check together): going away is the check's to say.
      if (choice === null && Date.now() - lastActivity() >= IDLE_MS) return;
      const last = lastSent(memberId);
      if (last && last.value === 'online' && Date.now() - last.at < HEARTBEAT_MS - CHECK_MS) return;
      say('online');
    }, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [memberId, value, choice, say, lastActivity]);

  const choose = useCallback(
    (next: Availability) => {
      if (!memberId) return;
      if (next === 'online') {
        write(choiceKey(memberId), null);
        lastInput.current = Date.now();
        setIdle(false);
        setChoice(null);
        // Already "online" here (say, chosen in another tab): say it anyway, it was asked for.
        if (value === 'online') say('online');
      } else {
        write(choiceKey(memberId), next);
        setChoice(next);
        if (value === next) say(next);
      }
    },
    [memberId, value, say],
  );

  return { value, chosen: choice !== null, failed, choose };
}
