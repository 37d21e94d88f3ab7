import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { localInputValue, snoozePresets, snoozeProblem } from './snooze';
import './list.css';

/**
 * A "Snooze" button with its presets (1 hour, tomorrow 9:00, next week) and a chosen date and
 * time. Escape or a click elsewhere closes it. `shortcut` marks the button the `s` key presses.
 */
export function SnoozeMenu({ disabled, onSnooze, shortcut }: { disabled?: boolean; onSnooze: (until: string) => void; shortcut?: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const [edge, setEdge] = useState<'left' | 'right' | null>(null);
  useEffect(() => {
    if (!open) {
      setEdge(null);
      return;
    }
    // On a narrow screen the menu may run off one side: then it opens toward the other.
    const box = root.current?.querySelector<HTMLElement>('.snooze-menu')?.getBoundingClientRect();
    if (box && box.left < 0) setEdge('left');
    else if (box && box.right > window.innerWidth) setEdge('right');
    root.current?.querySelector<HTMLButtonElement>('.snooze-menu button')?.focus();
    const onPointer = (e: PointerEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (until: Date) => {
    setOpen(false);
    button.current?.focus();
    onSnooze(until.toISOString());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const why = snoozeProblem(custom);
    setProblem(why);
    if (!why) choose(new Date(custom));
  };

  return (
    <div
      className="snooze"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        disabled={disabled}
        data-shortcut={shortcut}
        onClick={() => {
          setProblem(null);
          setOpen((o) => !o);
        }}
      >
        Snooze
      </button>
      {open && (
        <div className={`snooze-menu${edge ? ` snooze-menu-${edge}` : ''}`} id={`${id}-menu`} role="group" aria-label="Snooze until">
          {snoozePresets().map((p) => (
            <button key={p.label} type="button" className="btn btn-ghost" onClick={() => choose(p.until)}>
              {p.label}
            </button>
          ))}
          <form className="snooze-custom" onSubmit={submit} noValidate>
            <label>
              A date and time
              <input
                type="datetime-local"
                value={custom}
                min={localInputValue(new Date())}
                onChange={(e) => {
                  setCustom(e.target.value);
                  setProblem(null);
                }}
              />
            </label>
            <button type="submit" className="btn">
              Snooze until then
            </button>
            {problem && (
              <p className="form-error" role="alert">
                {problem}
              </p>
            )}
          </form>
        </div>
      )}
    </div>
  );
}
