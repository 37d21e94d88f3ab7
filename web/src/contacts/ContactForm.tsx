import { useState, type FormEvent } from 'react';
import type { Contact } from '../api/types';
import { fieldMessage } from '../api/errors';
import { FieldError, FormError } from '../ui/States';
import { metadataPatch, parseRows, rowsOf, type MetadataRow } from './metadata';
import { useUpdateContact, type ContactPatch } from './queries';

const FIELDS = [
  ['name', 'Name', 200],
  ['email', 'Email', 254],
  ['first_name', 'First name', 100],
  ['last_name', 'Last name', 100],
  ['phone', 'Phone', 40],
  ['organization_name', 'Organisation', 200],
] as const;
type Field = (typeof FIELDS)[number][0];
type Values = Record<Field, string>;

const valuesOf = (c: Contact): Values => ({
  name: c.name ?? '',
  email: c.email ?? '',
  first_name: c.first_name ?? '',
  last_name: c.last_name ?? '',
  phone: c.phone ?? '',
  organization_name: c.organization_name ?? '',
});

/** The contact's fields and metadata, saved together as one PATCH of what changed. */
export function ContactForm({ contact }: { contact: Contact }) {
  const update = useUpdateContact(contact.id);
  const [values, setValues] = useState<Values>(() => valuesOf(contact));
  const [rows, setRows] = useState<MetadataRow[]>(() => rowsOf(contact.metadata));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const edited = () => {
    setProblem(null);
    setSaved(false);
    update.reset();
  };
  const setField = (field: Field, value: string) => {
    edited();
    setValues({ ...values, [field]: value });
  };
  const setRow = (i: number, patch: Partial<MetadataRow>) => {
    edited();
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseRows(rows);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return;
    }
    const before = valuesOf(contact);
    const patch: ContactPatch = {};
    for (const [field] of FIELDS) {
      const next = values[field].trim();
      if (next === before[field]) continue;
      if (field === 'email') {
        // A contact's email can be changed but not taken away (that would make them a guest).
        if (!next) {
          setProblem('The email cannot be removed; change it to another address instead.');
          return;
        }
        patch.email = next;
      } else {
        patch[field] = next || null;
      }
    }
    const metadata = metadataPatch(contact.metadata, parsed.value);
    if (metadata) patch.metadata = metadata;
    if (Object.keys(patch).length === 0) {
      setSaved(true);
      return;
    }
    update.mutate(patch, {
      onSuccess: (next) => {
        setValues(valuesOf(next));
        setRows(rowsOf(next.metadata));
        setSaved(true);
      },
    });
  };

  const fieldErrors = FIELDS.map(([field]) => fieldMessage(update.error, field));
  return (
    <form className="card form contact-form" onSubmit={submit} aria-label="Contact details">
      <h2>Details</h2>
      <div className="pair">
        {FIELDS.map(([field, label, max], i) => (
          <label key={field}>
            {label}
            <input
              type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
              name={field}
              maxLength={max}
              value={values[field]}
              onChange={(e) => setField(field, e.target.value)}
              aria-describedby={fieldErrors[i] ? `contact-${field}-error` : undefined}
            />
            <FieldError id={`contact-${field}-error`} message={fieldErrors[i]} />
          </label>
        ))}
      </div>

      <fieldset className="metadata-rows">
        <legend>Metadata</legend>
        {rows.length === 0 && <p className="muted">No metadata yet.</p>}
        {rows.map((row, i) => (
          <div className="metadata-row" key={i}>
            <input aria-label={`Name of metadata value ${i + 1}`} placeholder="name" value={row.key} maxLength={100} onChange={(e) => setRow(i, { key: e.target.value })} />
            <input
              aria-label={row.key ? `Value of ${row.key}` : `Value ${i + 1}`}
              placeholder={row.json ? 'JSON value' : 'value'}
              title={row.json ? 'Structured data, edited as JSON' : undefined}
              className={row.json ? 'mono' : undefined}
              value={row.text}
              onChange={(e) => setRow(i, { text: e.target.value })}
            />
            <button type="button" className="btn btn-ghost" aria-label={`Remove ${row.key || `value ${i + 1}`}`} onClick={() => { edited(); setRows(rows.filter((_, j) => j !== i)); }}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-ghost" onClick={() => { edited(); setRows([...rows, { key: '', text: '', json: false }]); }}>
          Add a value
        </button>
      </fieldset>

      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {fieldErrors.every((m) => !m) && <FormError error={update.error} />}
      {saved && !update.isPending && (
        <p className="form-saved" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}
