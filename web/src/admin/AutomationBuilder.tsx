import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { FormError } from '../ui/States';
import { ACTIONS, EVENTS, FIELDS, OPERATORS, toBody, type ActionRow, type ActionType, type ConditionRow, type Operator, type TriggerEvent } from './automation-form';

/** The rule builder: a trigger event, any number of conditions, one or more actions. */
export function AutomationBuilder({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [event, setEvent] = useState<TriggerEvent>('message.created');
  const [conditions, setConditions] = useState<ConditionRow[]>([]);
  const [actions, setActions] = useState<ActionRow[]>([{ type: 'add_tag', value: '' }]);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/automations', { body: toBody(name, event, conditions, actions) })),
    onSuccess: () => {
      setName('');
      setConditions([]);
      setActions([{ type: 'add_tag', value: '' }]);
      onCreated();
    },
  });
  const setCondition = (i: number, patch: Partial<ConditionRow>) => setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const setAction = (i: number, patch: Partial<ActionRow>) => setActions((as) => as.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <form className="card form builder" onSubmit={submit} aria-labelledby="builder-title">
      <h2 id="builder-title">New automation</h2>
      <label>
        Name
        <input name="automation-name" value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        When this happens
        <select name="automation-event" value={event} onChange={(e) => setEvent(e.target.value as TriggerEvent)}>
          {EVENTS.map((ev) => (
            <option key={ev} value={ev}>
              {ev}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Only if (all must hold)</legend>
        {conditions.length === 0 && <p className="muted">No conditions: every such event triggers the rule.</p>}
        <datalist id="condition-fields">
          {FIELDS.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        {conditions.map((c, i) => (
          <div className="builder-row" key={i}>
            <label>
              Field
              <input list="condition-fields" value={c.field} required onChange={(e) => setCondition(i, { field: e.target.value })} />
            </label>
            <label>
              Operator
              <select value={c.operator} onChange={(e) => setCondition(i, { operator: e.target.value as Operator })}>
                {OPERATORS.map((o) => (
                  <option key={o} value={o}>
                    {o.replace('_', ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Value {c.operator === 'in' && <span className="hint">(comma-separated)</span>}
              <input value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} />
            </label>
            <button type="button" className="btn btn-ghost" aria-label={`Remove condition ${i + 1}`} onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="btn" onClick={() => setConditions((cs) => [...cs, { field: 'message.content', operator: 'contains', value: '' }])}>
          Add condition
        </button>
      </fieldset>
      <fieldset>
        <legend>Then do</legend>
        {actions.map((a, i) => {
          const spec = ACTIONS.find((x) => x.type === a.type);
          return (
            <div className="builder-row" key={i}>
              <label>
                Action
                <select value={a.type} onChange={(e) => setAction(i, { type: e.target.value as ActionType })}>
                  {ACTIONS.map((x) => (
                    <option key={x.type} value={x.type}>
                      {x.label}
                    </option>
                  ))}
                </select>
              </label>
              {spec?.hint && (
                <label>
                  Value <span className="hint">({spec.hint})</span>
                  <input value={a.value} onChange={(e) => setAction(i, { value: e.target.value })} />
                </label>
              )}
              {actions.length > 1 && (
                <button type="button" className="btn btn-ghost" aria-label={`Remove action ${i + 1}`} onClick={() => setActions((as) => as.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
          );
        })}
        <button type="button" className="btn" onClick={() => setActions((as) => [...as, { type: 'add_tag', value: '' }])}>
          Add action
        </button>
      </fieldset>
      <FormError error={create.error} />
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        Create automation
      </button>
    </form>
  );
}
