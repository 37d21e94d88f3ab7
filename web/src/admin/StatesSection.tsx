import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useStates } from '../inbox/queries';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';

/** The workspace's conversation states (the "State" field and filter in the inbox). */
export function StatesSection() {
  const states = useStates();
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['states'] });
  const [name, setName] = useState('');
  const [color, setColor] = useState('#2563eb');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/conversation_states', { body: { name, color } })),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/conversation_states/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const errors = useFormErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="states-title">
      <h2 id="states-title">Conversation states</h2>
      {states.isPending ? (
        <Loading />
      ) : states.isError ? (
        <ErrorState error={states.error} retry={() => void states.refetch()} />
      ) : states.data.length === 0 ? (
        <Empty title="No states">Add states such as “Waiting on customer” to sort conversations.</Empty>
      ) : (
        <ul className="rows">
          {states.data.map((s) => (
            <li key={s.id}>
              <span>
                <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.name}
              </span>
              <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Delete the state ${s.name}?`) && remove.mutate(s.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit} aria-label="Add a state">
        <label htmlFor="state-name">State name</label>
        <input
          id="state-name"
          value={name}
          required
          maxLength={100}
          aria-describedby="state-name-error"
          onChange={(e) => {
            errors.edited('name');
            setName(e.target.value);
          }}
        />
        <FieldError id="state-name-error" message={errors.field('name')} />
        <label htmlFor="state-color">Colour</label>
        <input
          id="state-color"
          type="color"
          value={color}
          aria-describedby="state-color-error"
          onChange={(e) => {
            errors.edited('color');
            setColor(e.target.value);
          }}
        />
        <FieldError id="state-color-error" message={errors.field('color')} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Add state
        </button>
      </form>
      <FormError error={errors.formError ?? remove.error} />
    </section>
  );
}
