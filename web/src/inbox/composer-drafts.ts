import { useCallback, useEffect, useState } from 'react';
import { clearDraft, loadDraft, pruneDrafts, saveDraft, type DraftKind } from '../realtime/saved-drafts';

interface Drafts {
  text: Record<DraftKind, string>;
  startedAt: Record<DraftKind, number | null>;
}

function load(memberId: string, conversationId: string): Drafts {
  const reply = loadDraft(memberId, conversationId, 'operator');
  const note = loadDraft(memberId, conversationId, 'note');
  return {
    text: { operator: reply?.text ?? '', note: note?.text ?? '' },
    startedAt: { operator: reply?.startedAt ?? null, note: note?.startedAt ?? null },
  };
}

let pruned = false;

/**
 * The composer's two texts (reply and note) for one conversation, restored from and saved to this
 * browser as they are typed, so nothing typed is lost to navigation, a reload or a new sign-in.
 */
export function useComposerDrafts(memberId: string | undefined, conversationId: string) {
  const [drafts, setDrafts] = useState<Drafts>(() => (memberId ? load(memberId, conversationId) : { text: { operator: '', note: '' }, startedAt: { operator: null, note: null } }));

  useEffect(() => {
    // Once per page load: old drafts go, so the browser's storage does not fill up over months.
    if (!pruned) pruneDrafts();
    pruned = true;
  }, []);

  const setText = useCallback(
    (kind: DraftKind, text: string) => {
      const saved = memberId ? saveDraft(memberId, conversationId, kind, text) : null;
      setDrafts((d) => ({
        text: { ...d.text, [kind]: text },
        startedAt: { ...d.startedAt, [kind]: saved?.startedAt ?? (text.trim() ? (d.startedAt[kind] ?? Date.now()) : null) },
      }));
    },
    [memberId, conversationId],
  );

  const clear = useCallback(
    (kind: DraftKind) => {
      if (memberId) clearDraft(memberId, conversationId, kind);
      setDrafts((d) => ({ text: { ...d.text, [kind]: '' }, startedAt: { ...d.startedAt, [kind]: null } }));
    },
    [memberId, conversationId],
  );

  return { text: drafts.text, startedAt: drafts.startedAt, setText, clear };
}
