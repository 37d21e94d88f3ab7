import { useEffect, useRef, useState } from 'react';
import { useCoarsePointer } from './touch';
import { SEARCH_MAX } from './filters';

/** Types freely; the query (and the address) follow 300 ms after the last key. */
export function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [cut, setCut] = useState(false);
  const touch = useCoarsePointer();
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => latest.current(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text, value]);
  const full = text.length >= SEARCH_MAX;
  return (
    <div className="search">
      <label htmlFor="inbox-search" className="sr-only">
        Search conversations
      </label>
      <input
        id="inbox-search"
        type="search"
        placeholder={touch ? 'Search conversations' : 'Search conversations (press /)'}
        value={text}
        maxLength={SEARCH_MAX}
        aria-describedby={full ? 'inbox-search-limit' : undefined}
        onKeyDown={(e) => {
          // Esc leaves the box (a search box would otherwise empty itself).
          if (e.key === 'Escape') {
            e.preventDefault();
            e.currentTarget.blur();
          }
        }}
        onPaste={(e) => setCut(e.clipboardData.getData('text').length + text.length > SEARCH_MAX)}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.length < SEARCH_MAX) setCut(false);
        }}
      />
      {full && (
        <p id="inbox-search-limit" className="hint search-limit" role="status">
          {cut ? `Searches stop at ${SEARCH_MAX} characters; the rest was left out.` : `Searches stop at ${SEARCH_MAX} characters.`}
        </p>
      )}
    </div>
  );
}
