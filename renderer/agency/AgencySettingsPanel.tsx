import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { AGENCY_SECTION_NAMES, type AgencySectionName } from '../../shared/api/agency';
import {
  describeValue,
  diffSection,
  sectionOf,
  validateSection,
  type FieldErrors,
} from './agencyDraft';
import { useAgencySettingsStore } from './agencySettingsStore';
import { setIn } from './fields';
import { SECTION_VIEWS } from './sectionForms';

/** What saving changes, field by field, before the administrator commits to it. */
export function ChangePreview({
  before,
  after,
}: {
  readonly before: unknown;
  readonly after: unknown;
}) {
  const changes = diffSection(before, after);
  if (changes.length === 0) {
    return (
      <p className="hint" data-testid="agency-no-changes">
        No changes.
      </p>
    );
  }
  return (
    <div className="agency-changes" data-testid="agency-changes">
      <strong>
        {changes.length} change{changes.length === 1 ? '' : 's'} to save:
      </strong>
      <ul>
        {changes.map((c) => (
          <li key={c.path} data-testid="agency-change">
            <code>{c.path || '(whole section)'}</code>: <del>{describeValue(c.before)}</del> →{' '}
            <ins>{describeValue(c.after)}</ins>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SectionEditor({ name }: { readonly name: AgencySectionName }) {
  const saved = useAgencySettingsStore((s) => s.saved)!;
  const drafted = useAgencySettingsStore((s) => name in s.drafts);
  const ownDraft = useAgencySettingsStore((s) => s.drafts[name]);
  // Selected apart and combined here: a selector must not build a new object on every call.
  const before = useMemo(() => sectionOf(saved, name), [saved, name]);
  const draft = drafted ? ownDraft : before;
  const serverErrors = useAgencySettingsStore((s) => s.serverErrors[name]);
  const error = useAgencySettingsStore((s) => s.error);
  const saving = useAgencySettingsStore((s) => s.saving === name);
  const lastSaved = useAgencySettingsStore((s) => s.lastSaved === name);
  const stale = useAgencySettingsStore((s) => s.changedElsewhere.includes(name));
  const edit = useAgencySettingsStore((s) => s.edit);
  const discard = useAgencySettingsStore((s) => s.discard);
  const save = useAgencySettingsStore((s) => s.save);
  const revision = useAgencySettingsStore((s) => s.revision);
  const view = SECTION_VIEWS[name];

  const checked = useMemo(() => validateSection(name, draft), [name, draft]);
  const errors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...serverErrors };

  if (view.Own) return <view.Own />;
  const Form = view.Form!;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (checked.ok) void save(name, checked.value);
  };
  return (
    <form
      className="tip-line agency-section"
      onSubmit={submit}
      data-testid={`agency-section-${name}`}
    >
      <h3>{view.title}</h3>
      {stale && (
        <p className="error-text" role="alert">
          Another administrator changed this section since you began; what you save replaces it.
          Undo your changes to see theirs.
        </p>
      )}
      <Form
        key={revision}
        value={draft as never}
        saved={saved}
        errors={errors}
        set={(path, next) => edit(name, setIn(draft, path, next))}
      />
      {drafted && <ChangePreview before={before} after={checked.ok ? checked.value : draft} />}
      {!checked.ok && drafted && (
        <p className="error-text" role="alert" data-testid="agency-invalid">
          Correct the fields marked before saving.
        </p>
      )}
      {error && serverErrors && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={!drafted || saving}
          onClick={() => discard(name)}
        >
          Undo changes
        </button>
        <button
          type="submit"
          className="btn primary"
          disabled={!drafted || !checked.ok || saving}
          data-testid="agency-save"
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
        {lastSaved && !drafted && <span className="hint">✓ Saved and audited</span>}
      </div>
    </form>
  );
}

/** The agency's settings, a section at a time (administrators; docs/agency-settings.md). */
export function AgencySettingsPanel() {
  const saved = useAgencySettingsStore((s) => s.saved);
  const error = useAgencySettingsStore((s) => s.error);
  const drafts = useAgencySettingsStore((s) => s.drafts);
  const load = useAgencySettingsStore((s) => s.load);
  const [section, setSection] = useState<AgencySectionName>('identity');

  useEffect(() => void load(), [load]);
  if (!saved) return <p className="tip-none">{error ?? 'Loading the agency’s settings…'}</p>;
  return (
    <div className="agency-settings" data-testid="agency-settings">
      <nav className="agency-sections" aria-label="Sections">
        {AGENCY_SECTION_NAMES.map((n) => (
          <button
            key={n}
            type="button"
            className={`btn small${n === section ? ' primary' : ' ghost'}`}
            aria-current={n === section}
            onClick={() => setSection(n)}
            data-testid={`agency-tab-${n}`}
          >
            {SECTION_VIEWS[n].title}
            {n in drafts ? ' •' : ''}
          </button>
        ))}
      </nav>
      <SectionEditor key={section} name={section} />
    </div>
  );
}
