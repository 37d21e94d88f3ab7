import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DirectoryEntry, Team } from '../api/types';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { pickerGroups, type PickerOption } from './assignee-options';
import { teamLabel } from './teams';

/**
 * The assignee of a conversation, picked from a list that shows each member's availability (a
 * native select cannot show the dots). A button opens a listbox: arrows, Home/End and the first
 * letter move, Enter or Space picks, Escape closes.
 */
export function AssigneePicker({
  value,
  directory,
  meId,
  team,
  disabled,
  onChange,
}: {
  value: string | null;
  directory: DirectoryEntry[];
  meId: string | undefined;
  team: Team | undefined;
  disabled: boolean;
  onChange: (memberId: string | null) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const groups = useMemo(
    () => pickerGroups(directory, meId, team ? { label: teamLabel(team.name), member_ids: team.member_ids } : undefined, value),
    [directory, meId, team, value],
  );
  const options = groups.flatMap((g) => g.options);
  const selected = options.find((o) => o.value === (value ?? '')) ?? options[0];
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const optionId = (i: number) => `${id}-option-${i}`;

  const show = () => {
    setActive(Math.max(0, options.indexOf(selected)));
    setOpen(true);
  };
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  const pick = (i: number) => {
    const option = options[i];
    close(true);
    if (option && option.value !== (value ?? '')) onChange(option.value || null);
  };

  useEffect(() => {
    if (open) list.current?.focus();
  }, [open]);
  useEffect(() => {
    if (open) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [open, active]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      show();
    }
  };
  const onListKey = (e: KeyboardEvent) => {
    const last = options.length - 1;
    const move = (to: number) => {
      e.preventDefault();
      setActive(Math.min(last, Math.max(0, to)));
    };
    if (e.key === 'ArrowDown') move(active + 1);
    else if (e.key === 'ArrowUp') move(active - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(last);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
    else if (/^\S$/.test(e.key)) {
      // Type-ahead: the next option whose name starts with the letter.
      const letter = e.key.toLowerCase();
      const order = [...options.keys()].map((k) => (active + 1 + k) % options.length);
      const next = order.find((k) => options[k].label.toLowerCase().startsWith(letter));
      if (next !== undefined) move(next);
    }
  };

  let index = -1;
  return (
    <div className="picker" ref={root}>
      <span className="field-label" id={`${id}-label`}>
        Assignee
      </span>
      <button
        ref={button}
        type="button"
        className="picker-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-labelledby={`${id}-label ${id}-button`}
        id={`${id}-button`}
        disabled={disabled}
        onClick={() => (open ? close(false) : show())}
        onKeyDown={onButtonKey}
      >
        <Who option={selected} />
        <span className="caret" aria-hidden="true" />
      </button>
      {open && (
        <ul
          ref={list}
          className="picker-list"
          role="listbox"
          aria-labelledby={`${id}-label`}
          aria-activedescendant={optionId(active)}
          tabIndex={-1}
          onKeyDown={onListKey}
        >
          {groups.map((g, gi) => {
            const items = g.options.map((o) => {
              index += 1;
              const i = index;
              const availability = o.member ? AVAILABILITY_LABEL[o.member.availability] : null;
              return (
                <li
                  key={o.value || 'none'}
                  id={optionId(i)}
                  role="option"
                  aria-selected={o === selected}
                  aria-label={availability ? `${o.label}, ${availability.toLowerCase()}` : o.label}
                  className={`picker-option${i === active ? ' active' : ''}${o === selected ? ' selected' : ''}`}
                  onPointerMove={() => setActive(i)}
                  onClick={() => pick(i)}
                >
                  <Who option={o} />
                  {availability && <span className={`picker-status presence-text-${o.member!.availability}`}>{availability}</span>}
                </li>
              );
            });
            if (!g.label) return items;
            return (
              <li key={`group-${gi}`} role="presentation">
                <div className="picker-group" id={`${id}-group-${gi}`} aria-hidden="true">
                  {g.label}
                </div>
                <ul role="group" aria-labelledby={`${id}-group-${gi}`}>
                  {items}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** A member with their initial and availability dot, or "Unassigned". */
function Who({ option }: { option: PickerOption }) {
  if (!option.member) {
    return (
      <span className="who">
        <span className="initial initial-empty" aria-hidden="true" />
        <span className="who-name">{option.label}</span>
      </span>
    );
  }
  return (
    <span className="who">
      <span className="initial" aria-hidden="true">
        {option.member.name.charAt(0).toUpperCase()}
        <AvailabilityDot availability={option.member.availability} />
      </span>
      <span className="who-name">{option.label}</span>
    </span>
  );
}
