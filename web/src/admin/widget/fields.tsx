import type { ReactNode } from 'react';
import { FieldError } from '../../ui/States';
import type { Draft, Problems } from './widget-draft';

/** What every settings section receives: the draft, the server's field errors, and a way to change both. */
export interface SectionProps {
  draft: Draft;
  problems: Problems;
  /** Applies `edit` to the draft and clears the errors of the fields it touched (`key`, or `prefix*` for a list). */
  change(edit: (d: Draft) => Draft, ...touched: string[]): void;
}

/** The accessibility wiring of a control: its hint and its error read with it, invalid when it has one. */
export function describe(id: string, problem: string | undefined, hint = false) {
  const ids = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': ids || undefined };
}

export function Problem({ id, problem }: { id: string; problem: string | undefined }) {
  return <FieldError id={`${id}-error`} message={problem} />;
}

/** A labelled setting: the label above its control, a hint and the field's error below. */
export function Field({ id, label, hint, problem, children, className = '' }: { id: string; label: ReactNode; hint?: ReactNode; problem?: string; children: ReactNode; className?: string }) {
  return (
    <div className={`wa-field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <Problem id={id} problem={problem} />
    </div>
  );
}
