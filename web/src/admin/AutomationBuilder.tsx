import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAgents, useTeams } from '../inbox/queries';
import { FieldError, FormError, useFormErrors } from '../ui/States';
import { ACTIONS, EVENTS, FIELDS, OPERATORS, PICKED_FIELDS, toBody, type ActionRow, type ActionType, type ConditionRow, type Operator, type TriggerEvent } from './automation-form';
import { ActionValue } from './AutomationValue';
import './automations.css';

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
  const errors = useFormErrors(create.error);
  const agents = useAgents();
  const teams = useTeams();
  /** The names a condition on an agent or a team chooses from; null for a typed value. */
  const pickFrom = (field: string): { empty: string; choices: Array<{ id: string; name: string }> } | null =>
    field === 'agent.id'
      ? { empty: 'Choose an agent…', choices: agents.data ?? [] }
      : field === 'conversation.team_id'
        ? { empty: 'No team', choices: teams.data ?? [] }
        : null;
  // Rows are keyed by position on the server (`actions.1.value`): adding or removing one moves
  // the others, so their errors go too.
  const setCondition = (i: number, patch: Partial<ConditionRow>) => {
    for (const key of Object.keys(patch)) errors.edited(`conditions.${i}.${key}`);
    setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  };
  const setAction = (i: number, patch: Partial<ActionRow>) => {
    errors.edited(`actions.${i}`);
    setActions((as) => as.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <form className="card form builder" onSubmit={submit} aria-labelledby="builder-title">
      <h2 id="builder-title">New automation</h2>
      <label>
        Name
        <input
          name="automation-name"
          value={name}
          required
          maxLength={200}
          onChange={(e) => {
            errors.edited('name');
            setName(e.target.value);
          }}
        />
        <FieldError message={errors.field('name')} />
      </label>
      <label>
        When this happens
        <select
          name="automation-event"
          value={event}
          onChange={(e) => {
            // Which fields and actions fit depends on the trigger.
            errors.edited('event');
            errors.edited('conditions');
            errors.edited('actions');
            setEvent(e.target.value as TriggerEvent);
          }}
        >
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
              <input
                list="condition-fields"
                value={c.field}
                required
                onChange={(e) => {
                  const field = e.target.value;
                  // A value typed for another field is not a name in the picker: start it empty.
                  setCondition(i, PICKED_FIELDS.includes(field) !== PICKED_FIELDS.includes(c.field) ? { field, value: '' } : { field });
                }}
              />
              <FieldError message={errors.field(`conditions.${i}.field`)} />
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
              <FieldError message={errors.field(`conditions.${i}.operator`)} />
            </label>
            <label>
              Value {c.operator === 'in' && <span className="hint">(comma-separated)</span>}
              {(() => {
                const picker = c.operator === 'in' ? null : pickFrom(c.field);
                return picker ? (
                  <select value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })}>
                    <option value="">{picker.empty}</option>
                    {picker.choices.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} />
                );
              })()}
              <FieldError message={errors.field(`conditions.${i}.value`)} />
            </label>
            <button type="button" className="btn btn-ghost" aria-label={`Remove condition ${i + 1}`} onClick={() => {
                errors.edited('conditions');
                setConditions((cs) => cs.filter((_, j) => j !== i));
              }}>
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
                <select value={a.type} onChange={(e) => setAction(i, { type: e.target.value as ActionType, value: '' })}>
                  {ACTIONS.map((x) => (
                    <option key={x.type} value={x.type}>
                      {x.label}
                    </option>
                  ))}
                </select>
                <FieldError message={errors.field(`actions.${i}.type`)} />
              </label>
              {spec && spec.pick !== 'none' && (
                <ActionValue spec={spec} index={i} value={a.value} onChange={(value) => setAction(i, { value })} error={errors.field(`actions.${i}.value`)} />
              )}
              {actions.length > 1 && (
                <button type="button" className="btn btn-ghost" aria-label={`Remove action ${i + 1}`} onClick={() => {
                    errors.edited('actions');
                    setActions((as) => as.filter((_, j) => j !== i));
                  }}>
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
      <FormError error={errors.formError} />
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        Create automation
      </button>
    </form>
  );
}
