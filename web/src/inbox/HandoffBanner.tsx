import { useState } from 'react';
import type { Conversation } from '../api/types';
import { elapsed, fullTime } from '../ui/format';
import { HANDED_OVER_BY, handoffNote, noteBody, type Handoff } from './handoff';
import { useMessages } from './queries';

/** A summary longer than this many lines starts folded. */
const FOLDED_LINES = 6;

/**
 * What a person picking up a handed-over conversation reads first: who handed it over, why, how
 * long the customer has waited, and the summary note (what is still open, what was answered).
 */
export function HandoffBanner({ conversation: c }: { conversation: Conversation & { handoff: Handoff } }) {
  const messages = useMessages(c.id);
  const note = handoffNote(messages.data?.pages.flatMap((p) => p.data) ?? []);
  const body = note ? noteBody(note.content) : '';
  const long = body.split('\n').length > FOLDED_LINES;
  const [open, setOpen] = useState(false);
  const h = c.handoff;

  return (
    <section className="handoff-banner" aria-label="Handed over">
      <p className="handoff-headline">
        <strong>Handed over by {HANDED_OVER_BY[h.source]}</strong>
        {h.reason && <> · {h.reason}</>} ·{' '}
        <time dateTime={h.at} title={fullTime(h.at)}>
          {elapsed(h.at) === 'just now' ? 'just now' : `${elapsed(h.at)} ago`}
        </time>
        {c.waiting_since && (
          <span className="badge badge-waiting" title={`Waiting for a person since ${fullTime(c.waiting_since)}`}>
            Waiting {elapsed(c.waiting_since) === 'just now' ? 'since just now' : elapsed(c.waiting_since)}
          </span>
        )}
      </p>
      {body && (
        <>
          <pre className={`handoff-summary${long && !open ? ' folded' : ''}`} id={`handoff-summary-${c.id}`}>
            {body}
          </pre>
          {long && (
            <button type="button" className="btn btn-ghost handoff-more" aria-expanded={open} aria-controls={`handoff-summary-${c.id}`} onClick={() => setOpen((o) => !o)}>
              {open ? 'Show less' : 'Show the whole summary'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
