/**
 * A member's unsent text, per conversation and kind (reply or note), kept in this browser's
 * localStorage: it survives opening another conversation, a reload, and signing in again after a
 * session expired. Keyed by member too, so a colleague on the same browser never sees it.
 */
export type DraftKind = 'operator' | 'note';

export interface SavedDraft {
  text: string;
  /** When this draft was started (ms): a colleague's reply after that is news to its author. */
  startedAt: number;
  /** Last change (ms), for pruning. */
  savedAt: number;
}

const PREFIX = 'parley.draft.v1:';
const MAX_AGE_MS = 30 * 86_400_000;
const MAX_DRAFTS = 200;

const keyOf = (memberId: string, conversationId: string, kind: DraftKind) => `${PREFIX}${memberId}:${conversationId}:${kind}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage may be disabled (private modes, policies): drafts then live only while the page does.
    return null;
  }
}

function parse(raw: string | null): SavedDraft | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<SavedDraft>;
    if (typeof d.text !== 'string' || typeof d.startedAt !== 'number' || typeof d.savedAt !== 'number') return null;
    return { text: d.text, startedAt: d.startedAt, savedAt: d.savedAt };
  } catch {
    return null;
  }
}

export function loadDraft(memberId: string, conversationId: string, kind: DraftKind): SavedDraft | null {
  return parse(storage()?.getItem(keyOf(memberId, conversationId, kind)) ?? null);
}

/** Saves the text (an empty one removes the draft); keeps when it was started. */
export function saveDraft(memberId: string, conversationId: string, kind: DraftKind, text: string, now = Date.now()): SavedDraft | null {
  const store = storage();
  const key = keyOf(memberId, conversationId, kind);
  if (!text.trim()) {
    store?.removeItem(key);
    return null;
  }
  const before = parse(store?.getItem(key) ?? null);
  const draft = { text, startedAt: before?.startedAt ?? now, savedAt: now };
  try {
    store?.setItem(key, JSON.stringify(draft));
  } catch {
    // Full storage: prune and try once more; a draft not saved is still on screen.
    pruneDrafts(now, MAX_DRAFTS / 2);
    try {
      store?.setItem(key, JSON.stringify(draft));
    } catch {
      /* nothing more to do */
    }
  }
  return draft;
}

export function clearDraft(memberId: string, conversationId: string, kind: DraftKind): void {
  storage()?.removeItem(keyOf(memberId, conversationId, kind));
}

/** Drops drafts older than 30 days, and the oldest beyond `keep`. */
export function pruneDrafts(now = Date.now(), keep = MAX_DRAFTS): void {
  const store = storage();
  if (!store) return;
  const drafts: Array<{ key: string; savedAt: number }> = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    const d = parse(store.getItem(key));
    drafts.push({ key, savedAt: d?.savedAt ?? 0 });
  }
  drafts.sort((a, b) => b.savedAt - a.savedAt);
  drafts.forEach((d, i) => {
    if (i >= keep || now - d.savedAt > MAX_AGE_MS) store.removeItem(d.key);
  });
}
