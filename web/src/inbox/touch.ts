import { useSyncExternalStore } from 'react';

/** Touch screens, where keyboard hints mean nothing (the CSS hides `.kbd-hint` on the same query). */
const QUERY = '(hover: none), (pointer: coarse)';

export function useCoarsePointer(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const media = window.matchMedia(QUERY);
      media.addEventListener('change', notify);
      return () => media.removeEventListener('change', notify);
    },
    () => window.matchMedia(QUERY).matches,
  );
}
