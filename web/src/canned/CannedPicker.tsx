import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { CannedResponse } from './queries';

/**
 * The list `/` opens in the composer. Focus stays in the text: the composer moves `active` with
 * the arrow keys, Enter inserts it, Esc closes; a click inserts too.
 */
export function CannedPicker({
  items,
  active,
  query,
  loading,
  onPick,
  onActive,
}: {
  items: CannedResponse[];
  active: number;
  query: string;
  loading: boolean;
  onPick: (r: CannedResponse) => void;
  onActive: (i: number) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div className="canned-picker" role="dialog" aria-label="Canned responses">
      <div className="canned-picker-head">
        <span>
          Canned responses{query ? <> matching “{query}”</> : null}
        </span>
        <span className="hint kbd-hint">
          <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> insert · <kbd>Esc</kbd> close
        </span>
      </div>
      {loading ? (
        <p className="canned-picker-empty">Loading…</p>
      ) : items.length === 0 ? (
        <p className="canned-picker-empty">
          {query ? `No canned response matches “${query}”.` : 'No canned responses yet.'} <Link to="/canned-responses">Add one</Link>
        </p>
      ) : (
        <ul ref={list} id="canned-options" role="listbox" aria-label="Canned responses">
          {items.map((r, i) => (
            <li
              key={r.id}
              id={`canned-option-${r.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'canned-option canned-option-active' : 'canned-option'}
              // Keeps the caret in the text: the click inserts without taking focus away.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => onActive(i)}
              onClick={() => onPick(r)}
            >
              <span className="canned-shortcut">/{r.shortcut}</span>
              {r.title && <span className="canned-title">{r.title}</span>}
              {r.scope === 'personal' && <span className="badge">Personal</span>}
              <span className="canned-preview">{r.content}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
