import { useRef } from 'react';
import { Problem, type SectionProps } from './fields';
import { fieldNameOf, MAX_FIELDS, newField, type Draft, type FieldDraft, type FieldType } from './widget-draft';

const TYPES: Array<[FieldType, string]> = [
  ['text', 'Text'],
  ['email', 'Email'],
  ['select', 'Choice list'],
];

/** The form a visitor fills in before the first message: on or off, the email, up to five fields. */
export function PreChatSection({ draft, problems, change }: SectionProps) {
  const list = useRef<HTMLOListElement>(null);
  const pre = draft.pre_chat;
  const setPre = (edit: (p: Draft['pre_chat']) => Draft['pre_chat'], ...touched: string[]) => change((d) => ({ ...d, pre_chat: edit(d.pre_chat) }), ...touched);
  const setField = (i: number, edit: Partial<FieldDraft>, ...touched: string[]) =>
    setPre((p) => ({ ...p, fields: p.fields.map((f, k) => (k === i ? { ...f, ...edit } : f)) }), ...touched.map((t) => `pre_chat.fields.${i}.${t}`), `pre_chat.fields.${i}`, 'pre_chat.fields');
  const add = () => {
    setPre((p) => ({ ...p, fields: [...p.fields, newField(p.fields)] }), 'pre_chat.fields');
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus());
  };
  const remove = (i: number) => setPre((p) => ({ ...p, fields: p.fields.filter((_, k) => k !== i) }), 'pre_chat.fields*');

  return (
    <section className="card wa-section" aria-labelledby="wa-prechat">
      <h2 id="wa-prechat">Pre-chat form</h2>
      <label className="switch">
        <input type="checkbox" role="switch" checked={pre.enabled} onChange={(e) => setPre((p) => ({ ...p, enabled: e.target.checked }), 'pre_chat.enabled')} />
        <span className="switch-track" aria-hidden="true" />
        <span>
          Ask visitors to introduce themselves
          <span className="hint switch-hint">{pre.enabled ? 'The form comes before the first message; the answers go on the contact.' : 'Off: visitors start writing at once.'}</span>
        </span>
      </label>
      <fieldset className="wa-prechat" disabled={!pre.enabled} aria-label="Pre-chat form fields">
        <label className="check">
          <input type="checkbox" checked={pre.require_email} onChange={(e) => setPre((p) => ({ ...p, require_email: e.target.checked }), 'pre_chat.require_email')} />
          Require an email address <span className="hint">(asked first, unless the visitor is known)</span>
        </label>
        <Problem id="wa-prechat-fields" problem={problems['pre_chat.fields']} />
        {pre.fields.length > 0 && (
          <ol className="wa-fields" ref={list}>
            {pre.fields.map((f, i) => {
              const at = `pre_chat.fields.${i}`;
              const id = `wa-pf-${f.key}`;
              const n = i + 1;
              // Every field has the same labels; a screen reader hears which field each belongs to.
              const sr = <span className="sr-only">Field {n}: </span>;
              const wire = (part: string) => ({
                id: `${id}-${part}`,
                'aria-invalid': problems[`${at}.${part}`] ? true : undefined,
                'aria-describedby': problems[`${at}.${part}`] ? `${id}-${part}-error` : undefined,
              });
              return (
                <li key={f.key} className="wa-pf">
                  <div className="wa-pf-head">
                    <span className="wa-pf-number" aria-hidden="true">
                      {n}
                    </span>
                    <div className="wa-pf-grid">
                      <div className="wa-field">
                        <label htmlFor={`${id}-label`}>{sr}Label</label>
                        <input
                          {...wire('label')}
                          value={f.label}
                          maxLength={100}
                          placeholder="Order number"
                          onChange={(e) => {
                            const label = e.target.value;
                            setField(i, { label, ...(f.nameEdited ? {} : { name: fieldNameOf(label) || f.name }) }, 'label', 'name');
                          }}
                        />
                        <Problem id={`${id}-label`} problem={problems[`${at}.label`]} />
                      </div>
                      <div className="wa-field">
                        <label htmlFor={`${id}-name`}>{sr}Key</label>
                        <input
                          {...wire('name')}
                          className="wa-mono"
                          value={f.name}
                          maxLength={40}
                          spellCheck={false}
                          autoComplete="off"
                          onChange={(e) => setField(i, { name: e.target.value, nameEdited: true }, 'name')}
                        />
                        <Problem id={`${id}-name`} problem={problems[`${at}.name`]} />
                      </div>
                      <div className="wa-field">
                        <label htmlFor={`${id}-type`}>{sr}Type</label>
                        <select {...wire('type')} value={f.type} onChange={(e) => setField(i, { type: e.target.value as FieldType }, 'type', 'options')}>
                          {TYPES.map(([value, label]) => (
                            <option key={value} value={value}>
                              {label}
                            </option>
                          ))}
                        </select>
                        <Problem id={`${id}-type`} problem={problems[`${at}.type`]} />
                      </div>
                    </div>
                    <button type="button" className="btn btn-ghost wa-remove" aria-label={`Remove field ${n}${f.label ? ` (${f.label})` : ''}`} title="Remove field" onClick={() => remove(i)}>
                      ×
                    </button>
                  </div>
                  {f.type === 'select' && (
                    <div className="wa-field wa-pf-options">
                      <label htmlFor={`${id}-options`}>{sr}Choices</label>
                      <textarea
                        {...wire('options')}
                        aria-describedby={[`${id}-options-hint`, problems[`${at}.options`] ? `${id}-options-error` : ''].filter(Boolean).join(' ')}
                        value={f.options}
                        rows={3}
                        placeholder={'Sales\nSupport\nBilling'}
                        onChange={(e) => setField(i, { options: e.target.value }, 'options')}
                      />
                      <span className="hint" id={`${id}-options-hint`}>
                        One choice a line, up to 20.
                      </span>
                      <Problem id={`${id}-options`} problem={problems[`${at}.options`]} />
                    </div>
                  )}
                  <label className="check wa-pf-required">
                    <input type="checkbox" checked={f.required} onChange={(e) => setField(i, { required: e.target.checked }, 'required')} />
                    {sr}Required
                  </label>
                  <Problem id={`${id}-all`} problem={problems[at]} />
                </li>
              );
            })}
          </ol>
        )}
        <div className="wa-pf-add">
          <button type="button" className="btn wa-add" onClick={add} disabled={pre.fields.length >= MAX_FIELDS}>
            + Add field
          </button>
          <span className="hint">
            {pre.fields.length >= MAX_FIELDS ? `That is the most a form can ask: ${MAX_FIELDS} fields.` : `${pre.fields.length} of ${MAX_FIELDS} fields.`}
          </span>
        </div>
      </fieldset>
    </section>
  );
}
