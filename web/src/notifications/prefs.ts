import { useCallback, useSyncExternalStore } from 'react';

/** The member's choices for this browser, kept in localStorage (both off until turned on). */
export type Pref = 'sound' | 'desktop';

const keyOf = (pref: Pref) => `parley.notifications.${pref}`;
const listeners = new Set<() => void>();

function read(pref: Pref): boolean {
  try {
    return localStorage.getItem(keyOf(pref)) === 'on';
  } catch {
    return false;
  }
}

export function setPref(pref: Pref, on: boolean): void {
  try {
    if (on) localStorage.setItem(keyOf(pref), 'on');
    else localStorage.removeItem(keyOf(pref));
  } catch {
    // Storage refused (private mode): the choice lasts until the page is closed, as state below.
  }
  for (const l of listeners) l();
}

export function prefOn(pref: Pref): boolean {
  return read(pref);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key?.startsWith('parley.notifications.') && listener();
  // Another tab of the inbox changed it.
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function usePref(pref: Pref): [boolean, (on: boolean) => void] {
  const value = useSyncExternalStore(subscribe, () => read(pref));
  return [value, useCallback((on: boolean) => setPref(pref, on), [pref])];
}
