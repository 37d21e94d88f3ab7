import type { Agent, Team } from '../../api/types';
import { describe, Field, type SectionProps } from './fields';
import { DEFAULTS, HEX, LOCALES, type Position } from './widget-draft';

/** The channel's name, the agent that answers on it, and the team its handed-off conversations go to. */
export function BasicsSection({ draft, problems, change, agents, teams }: SectionProps & { agents: Agent[] | undefined; teams: Team[] | undefined }) {
  const active = agents?.filter((a) => a.status === 'active') ?? [];
  // A new widget is answered by the first active agent unless another is picked (the server's default too).
  const agentId = draft.agent_id || active[0]?.id || '';
  return (
    <section className="card wa-section" aria-labelledby="wa-basics">
      <h2 id="wa-basics">Channel</h2>
      <div className="wa-grid">
        <Field id="wa-name" label="Channel name" hint="Shown in the inbox beside conversations from this widget." problem={problems.name}>
          <input
            {...describe('wa-name', problems.name, true)}
            value={draft.name}
            required
            maxLength={200}
            placeholder="Website chat"
            onChange={(e) => change((d) => ({ ...d, name: e.target.value }), 'name')}
          />
        </Field>
        <Field id="wa-agent" label="Answering agent" hint="The AI agent that replies until a person takes over." problem={problems.agent_id}>
          <select
            {...describe('wa-agent', problems.agent_id, true)}
            value={agentId}
            disabled={!agents}
            onChange={(e) => change((d) => ({ ...d, agent_id: e.target.value }), 'agent_id')}
          >
            {!agents && <option value="">Loading agents…</option>}
            {agents && agents.length === 0 && <option value="">No agents yet — add one under AI agents</option>}
            {agents?.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.status === 'active' ? '' : ' (inactive)'}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="wa-team"
          label="Default team"
          hint="When a visitor asks for a person, or the agent hands over, the conversation goes to this team."
          problem={problems.default_team_id}
        >
          <select
            {...describe('wa-team', problems.default_team_id, true)}
            value={draft.default_team_id}
            disabled={!teams}
            onChange={(e) => change((d) => ({ ...d, default_team_id: e.target.value }), 'default_team_id')}
          >
            <option value="">{teams ? 'No team' : 'Loading teams…'}</option>
            {teams?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
            {draft.default_team_id && teams && !teams.some((t) => t.id === draft.default_team_id) && <option value={draft.default_team_id}>A deleted team</option>}
          </select>
        </Field>
      </div>
    </section>
  );
}

/** What the visitor sees: the title, greeting, colour, side and language. */
export function AppearanceSection({ draft, problems, change }: SectionProps) {
  const swatch = HEX.test(draft.accent_color.trim()) ? draft.accent_color.trim() : DEFAULTS.accent_color;
  return (
    <section className="card wa-section" aria-labelledby="wa-appearance">
      <h2 id="wa-appearance">Appearance</h2>
      <Field id="wa-title" label="Title" hint="The header of the chat window." problem={problems.title}>
        <input {...describe('wa-title', problems.title, true)} value={draft.title} maxLength={80} onChange={(e) => change((d) => ({ ...d, title: e.target.value }), 'title')} />
      </Field>
      <Field id="wa-greeting" label="Greeting" hint="The first message every visitor sees." problem={problems.greeting}>
        <textarea
          {...describe('wa-greeting', problems.greeting, true)}
          value={draft.greeting}
          rows={2}
          maxLength={500}
          onChange={(e) => change((d) => ({ ...d, greeting: e.target.value }), 'greeting')}
        />
      </Field>
      <div className="wa-grid">
        <Field id="wa-accent" label="Accent colour" hint="The header, launcher and buttons. Text on it turns dark or light to stay readable." problem={problems.accent_color}>
          <div className="wa-colour">
            <input
              type="color"
              aria-label="Accent colour picker"
              value={swatch.toLowerCase()}
              onChange={(e) => change((d) => ({ ...d, accent_color: e.target.value }), 'accent_color')}
            />
            <input
              {...describe('wa-accent', problems.accent_color, true)}
              className="wa-hex"
              value={draft.accent_color}
              maxLength={7}
              spellCheck={false}
              autoComplete="off"
              placeholder="#4f46e5"
              onChange={(e) => change((d) => ({ ...d, accent_color: e.target.value }), 'accent_color')}
            />
          </div>
        </Field>
        <Field id="wa-locale" label="Language" hint="The widget’s own words: buttons, hints, the form." problem={problems.locale}>
          <select {...describe('wa-locale', problems.locale, true)} value={draft.locale} onChange={(e) => change((d) => ({ ...d, locale: e.target.value }), 'locale')}>
            {LOCALES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
            {!LOCALES.some(([value]) => value === draft.locale) && <option value={draft.locale}>{draft.locale}</option>}
          </select>
        </Field>
      </div>
      <fieldset className="wa-position" aria-describedby={problems.position ? 'wa-position-error' : undefined}>
        <legend>Launcher position</legend>
        <div className="wa-segmented">
          {(['left', 'right'] as Position[]).map((p) => (
            <label key={p} className={`wa-segment${draft.position === p ? ' on' : ''}`}>
              <input type="radio" name="wa-position" value={p} checked={draft.position === p} onChange={() => change((d) => ({ ...d, position: p }), 'position')} />
              <span className={`wa-corner wa-corner-${p}`} aria-hidden="true" />
              {p === 'left' ? 'Bottom left' : 'Bottom right'}
            </label>
          ))}
        </div>
        {problems.position && (
          <span className="field-error" id="wa-position-error">
            {problems.position}
          </span>
        )}
      </fieldset>
    </section>
  );
}
