import { useEffect, useRef, useState } from 'react';

type Outcome = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` to the clipboard and says so for a moment. Where the browser refuses (no
 * clipboard outside a secure page, or permission denied) it says to copy by hand instead.
 */
export function CopyButton({ text, label, className = 'btn' }: { text: string; label: string; className?: string }) {
  const [outcome, setOutcome] = useState<Outcome>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
    timer.current = window.setTimeout(() => setOutcome('idle'), 2500);
  };

  return (
    <span className="copy">
      <button type="button" className={className} onClick={() => void copy()}>
        {outcome === 'copied' ? (
          <>
            <svg viewBox="0 0 24 24" aria-hidden="true" className="copy-icon">
              <path d="M5 12.5 10 17l9-10" />
            </svg>
            Copied
          </>
        ) : (
          label
        )}
      </button>
      <span className={outcome === 'failed' ? 'copy-failed' : 'sr-only'} role="status">
        {outcome === 'copied' ? 'Copied to the clipboard' : outcome === 'failed' ? 'Could not copy: select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
