import { useEffect, useRef } from 'react';

/** A suggested reply arrived while the member had text of their own: keep it, or replace it. */
export function SuggestionOffer({ suggestion, onReplace, onKeep }: { suggestion: string; onReplace: () => void; onKeep: () => void }) {
  const keep = useRef<HTMLButtonElement>(null);
  // Focus goes to the safe choice, so a stray Enter never throws typed work away.
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="suggestion-offer" role="alertdialog" aria-labelledby="suggestion-offer-title" aria-describedby="suggestion-offer-text">
      <p id="suggestion-offer-title">
        <strong>Replace your draft with the suggested reply?</strong>
      </p>
      <blockquote id="suggestion-offer-text" className="suggestion-preview">
        {suggestion}
      </blockquote>
      <div className="suggestion-offer-actions">
        <button ref={keep} type="button" className="btn" onClick={onKeep}>
          Keep my draft
        </button>
        <button type="button" className="btn btn-primary" onClick={onReplace}>
          Replace my draft
        </button>
      </div>
    </div>
  );
}
