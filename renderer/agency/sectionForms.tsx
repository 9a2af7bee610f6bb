import { useEffect, useState, type ComponentType } from 'react';
import type { AgencySectionName } from '../../shared/api/agency';
import { ALERT_SEVERITIES, GUNSHOT_TYPES } from '../../shared/domain/alerts';
import type { AgencyConfig, ExclusionZone, Jurisdiction, Shift } from '../../shared/domain/agency';
import type { DockRule } from '../../shared/domain/docking';
import { MAX_IDLE_LOCK_MINUTES } from '../../shared/domain/idleLock';
import { WEEKDAYS, type ScheduleWindow } from '../../shared/domain/sharingPolicy';
import { TipLineSettingsPanel } from '../tips/TipLineSettings';
import {
  CheckField,
  ChoiceList,
  FieldError,
  ListField,
  NumberField,
  TextField,
  type FormProps,
} from './fields';
import { GeoJsonInput } from './GeoJsonInput';
import { GeometryPreview, type PreviewShape } from './GeometryPreview';
import { readLogo } from './logoFile';
import { formatCaseNumber } from '../../shared/domain/caseNumber';
import { RetentionForm } from './RetentionSection';

/** A form's view of a draft: any field may be missing or wrong while it is being edited. */
type Loose<T> = { readonly [K in keyof T]?: unknown };
type Props<T> = FormProps<Loose<T>> & { readonly saved: AgencyConfig };

const TIME_ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

function IdentityForm({ value, set, errors }: Props<AgencyConfig>) {
  const [logoProblem, setLogoProblem] = useState<string | null>(null);
  const logo = typeof value.logo === 'string' ? value.logo : undefined;
  const zone = String(value.timeZone ?? '');
  return (
    <>
      <TextField
        label="Name"
        path="name"
        value={String(value.name ?? '')}
        onChange={(v) => set(['name'], v)}
        errors={errors}
      />
      <TextField
        label="Short name"
        path="shortName"
        value={String(value.shortName ?? '')}
        onChange={(v) => set(['shortName'], v)}
        errors={errors}
        hint="On the top bar and in notices."
      />
      <div className="field">
        <label htmlFor="agency-timeZone">Time zone</label>
        <select
          id="agency-timeZone"
          value={zone}
          data-testid="agency-timeZone"
          aria-invalid={!!errors.timeZone}
          onChange={(e) => set(['timeZone'], e.target.value)}
        >
          {!TIME_ZONES.includes(zone) && <option value={zone}>{zone || '(choose)'}</option>}
          {TIME_ZONES.map((tz) => (
            <option key={tz} value={tz}>
              {tz}
            </option>
          ))}
        </select>
        <span className="hint">
          Every time a person reads is in this zone; storage stays in UTC.{' '}
          {TIME_ZONES.includes(zone) &&
            `Now there: ${new Date().toLocaleString([], { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })}`}
        </span>
        <FieldError errors={errors} path="timeZone" />
      </div>
      <div className="field">
        <label htmlFor="agency-logo">Logo (PNG or JPEG, at most 256 KB)</label>
        {logo && (
          <img
            className="agency-logo-preview"
            src={logo}
            alt="Logo preview"
            data-testid="agency-logo-preview"
          />
        )}
        <input
          id="agency-logo"
          type="file"
          accept="image/png,image/jpeg"
          data-testid="agency-logo"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            void readLogo(file).then((r) => {
              setLogoProblem(r.ok ? null : r.message);
              if (r.ok) set(['logo'], r.dataUrl);
            });
          }}
        />
        {logo && (
          <button
            type="button"
            className="btn small ghost"
            onClick={() => set(['logo'], undefined)}
          >
            Remove the logo
          </button>
        )}
        {logoProblem && (
          <span className="error-text" role="alert">
            {logoProblem}
          </span>
        )}
        <FieldError errors={errors} path="logo" />
      </div>
    </>
  );
}

function BoundaryForm({ value, set, errors, saved }: Props<AgencyConfig>) {
  const draft = value.jurisdiction as Jurisdiction | undefined;
  const shapes: PreviewShape[] = [
    { key: 'saved', geometry: saved.jurisdiction, label: 'As saved', tone: 'saved' },
    ...(draft && JSON.stringify(draft) !== JSON.stringify(saved.jurisdiction)
      ? [{ key: 'draft', geometry: draft, label: 'New boundary', tone: 'draft' as const }]
      : []),
  ];
  return (
    <>
      <GeoJsonInput
        label="Boundary (GeoJSON file)"
        testId="agency-boundary"
        onGeometry={(g) => set(['jurisdiction'], g)}
      />
      <FieldError errors={errors} path="jurisdiction" />
      <CheckField
        label="The boundary is approximate (drawn by hand, not official data)"
        path="jurisdictionApproximate"
        value={value.jurisdictionApproximate === true}
        onChange={(v) => set(['jurisdictionApproximate'], v)}
        errors={errors}
      />
      <GeometryPreview shapes={shapes} />
    </>
  );
}

function MapForm({ value, set, errors }: Props<AgencyConfig['map']>) {
  const center = Array.isArray(value.center) ? (value.center as unknown[]) : [];
  return (
    <>
      <NumberField
        label="Opening view: latitude"
        path="center.0"
        value={center[0]}
        step={0.0001}
        onChange={(v) => set(['center', 0], v)}
        errors={errors}
      />
      <NumberField
        label="Opening view: longitude"
        path="center.1"
        value={center[1]}
        step={0.0001}
        onChange={(v) => set(['center', 1], v)}
        errors={errors}
      />
      <NumberField
        label="Opening zoom"
        path="zoom"
        value={value.zoom}
        onChange={(v) => set(['zoom'], v)}
        errors={errors}
        hint="1 (the world) to 20 (a building). The map opens on the jurisdiction when it has one."
      />
      <p className="hint">
        The basemap&apos;s tiles come from the console host (WF_MAP_TILES, docs/agency-settings.md):
        the console&apos;s content security policy allows images only from that one source.
      </p>
    </>
  );
}

function SessionForm({ value, set, errors }: Props<AgencyConfig['session']>) {
  return (
    <NumberField
      label="Lock a console after this many idle minutes"
      path="idleLockMinutes"
      value={value.idleLockMinutes}
      onChange={(v) => set(['idleLockMinutes'], v)}
      errors={errors}
      hint={`1 to ${MAX_IDLE_LOCK_MINUTES}: CJIS 5.5.5 allows no more. The server ends a session idle this long; a deployment (WF_SESSION_IDLE_MINUTES, WF_IDLE_LOCK_MINUTES) or a person may lock sooner, never later.`}
    />
  );
}

function ShiftsForm({ value, set, errors }: FormProps<unknown>) {
  const shifts = (Array.isArray(value) ? value : []) as Partial<Shift>[];
  return (
    <fieldset>
      <legend>Shifts (each runs until the next one starts, agency time zone)</legend>
      {shifts.map((s, i) => (
        <div key={i} className="window-row" data-testid="agency-shift">
          <input
            aria-label="Shift name"
            value={s.name ?? ''}
            onChange={(e) => set([i, 'name'], e.target.value)}
            aria-invalid={!!errors[`${i}.name`]}
          />
          <input
            aria-label="Starts at"
            value={s.start ?? ''}
            size={5}
            placeholder="06:00"
            onChange={(e) => set([i, 'start'], e.target.value)}
            aria-invalid={!!errors[`${i}.start`]}
          />
          <button
            type="button"
            className="btn small ghost"
            aria-label={`Remove ${s.name ?? 'shift'}`}
            onClick={() =>
              set(
                [],
                shifts.filter((_, j) => j !== i),
              )
            }
          >
            ✕
          </button>
          <FieldError errors={errors} path={`${i}.name`} />
          <FieldError errors={errors} path={`${i}.start`} />
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        onClick={() => set([], [...shifts, { name: '', start: '' }])}
      >
        + Add a shift
      </button>
      <FieldError errors={errors} path="" />
    </fieldset>
  );
}

function WindowsEditor({
  path,
  windows,
  set,
  errors,
}: {
  path: string;
  windows: readonly Partial<ScheduleWindow>[];
  set: (next: unknown) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const change = (i: number, patch: Partial<ScheduleWindow>) =>
    set(windows.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  return (
    <>
      {windows.map((w, i) => (
        <div key={i} className="window-row">
          {WEEKDAYS.map((d) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={(w.days ?? []).includes(d)}
                onChange={(e) =>
                  change(i, {
                    days: e.target.checked
                      ? WEEKDAYS.filter((x) => x === d || (w.days ?? []).includes(x))
                      : (w.days ?? []).filter((x) => x !== d),
                  })
                }
              />
              {d}
            </label>
          ))}
          <input
            aria-label="From"
            size={5}
            value={w.start ?? ''}
            onChange={(e) => change(i, { start: e.target.value })}
          />
          –
          <input
            aria-label="Until"
            size={5}
            value={w.end ?? ''}
            onChange={(e) => change(i, { end: e.target.value })}
          />
          <button
            type="button"
            className="btn small ghost"
            aria-label="Remove the window"
            onClick={() => set(windows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
          {['days', 'start', 'end'].map((f) => (
            <FieldError key={f} errors={errors} path={`${path}.${i}.${f}`} />
          ))}
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        onClick={() =>
          set([
            ...windows,
            { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' },
          ])
        }
      >
        + Add a window
      </button>
    </>
  );
}

function IncidentsForm({ value, set, errors }: Props<AgencyConfig['incidents']>) {
  return (
    <>
      <ChoiceList
        label="Priorities the center works"
        path="workedPriorities"
        choices={[1, 2, 3, 4, 5, 6, 7, 8, 9]}
        value={value.workedPriorities as number[]}
        onChange={(v) => set(['workedPriorities'], v)}
        errors={errors}
        labelOf={(p) => `P${p}`}
      />
      <ListField
        label="Call types worked whatever their priority (CAD codes, comma-separated)"
        path="workedCallTypes"
        value={value.workedCallTypes as string[]}
        onChange={(v) => set(['workedCallTypes'], v)}
        errors={errors}
      />
      <fieldset>
        <legend>Hours the center works calls (none: at all hours)</legend>
        <WindowsEditor
          path="workedHours"
          windows={(value.workedHours as ScheduleWindow[]) ?? []}
          set={(v) => set(['workedHours'], v)}
          errors={errors}
        />
      </fieldset>
      <NumberField
        label="Buffer outside the jurisdiction (metres)"
        path="jurisdictionBufferM"
        value={value.jurisdictionBufferM}
        onChange={(v) => set(['jurisdictionBufferM'], v)}
        errors={errors}
        hint="Calls farther outside are kept, marked outside, and never announced (0 to 50,000)."
      />
    </>
  );
}

function parseOrigins(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

function OriginsField({
  value,
  set,
  errors,
}: {
  value: unknown;
  set: (v: unknown) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const origins = (value ?? {}) as Record<string, string>;
  const listed = Object.entries(origins)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  const [text, setText] = useState(listed);
  // The text as typed, until the value changes from elsewhere (undo, another administrator).
  useEffect(() => {
    setText((current) =>
      JSON.stringify(parseOrigins(current)) === JSON.stringify(origins) ? current : listed,
    );
  }, [listed]);
  const problems = Object.entries(errors).filter(([k]) => k.startsWith('mediaOrigins'));
  return (
    <div className="field">
      <label htmlFor="agency-mediaOrigins">
        Image origins per integration (one a line: name = origin)
      </label>
      <textarea
        id="agency-mediaOrigins"
        rows={3}
        value={text}
        data-testid="agency-mediaOrigins"
        onChange={(e) => {
          setText(e.target.value);
          set(parseOrigins(e.target.value));
        }}
      />
      <span className="hint">
        The one origin an integration&apos;s images may come from over http or from a private
        address (a vendor&apos;s server on the agency&apos;s network); every other image must be
        https on a public address (docs/integrations.md).
      </span>
      {problems.map(([k, m]) => (
        <span key={k} className="error-text" role="alert">
          {k.replace(/^mediaOrigins\./, '')}: {m}
        </span>
      ))}
    </div>
  );
}

function ZonesEditor({
  zones,
  set,
  errors,
}: {
  zones: Partial<ExclusionZone>[];
  set: (v: unknown) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const change = (i: number, patch: Partial<ExclusionZone>) =>
    set(zones.map((z, j) => (j === i ? { ...z, ...patch } : z)));
  return (
    <fieldset>
      <legend>Exclusion zones (a tracked subject entering one raises an alert)</legend>
      {zones.map((z, i) => (
        <div key={i} className="agency-zone" data-testid="agency-zone">
          <div className="window-row">
            <input
              aria-label="Zone id"
              placeholder="zone-id"
              value={z.id ?? ''}
              onChange={(e) => change(i, { id: e.target.value })}
            />
            <input
              aria-label="Zone name"
              placeholder="Name"
              value={z.name ?? ''}
              onChange={(e) => change(i, { name: e.target.value })}
            />
            <input
              aria-label="Subjects"
              placeholder="subjects, comma-separated (none: everyone)"
              defaultValue={(z.subjects ?? []).join(', ')}
              onChange={(e) =>
                change(i, {
                  subjects: e.target.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            />
            <button
              type="button"
              className="btn small ghost"
              aria-label={`Remove ${z.name ?? 'zone'}`}
              onClick={() => set(zones.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
          <GeoJsonInput
            label="Area"
            testId={`agency-zone-${i}`}
            onGeometry={(g) => change(i, { geometry: g })}
          />
          {['id', 'name', 'subjects', 'geometry'].map((f) => (
            <FieldError key={f} errors={errors} path={`exclusionZones.${i}.${f}`} />
          ))}
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        onClick={() => set([...zones, { id: '', name: '', subjects: [] }])}
      >
        + Add a zone
      </button>
    </fieldset>
  );
}

function AlertsForm({ value, set, errors, saved }: Props<AgencyConfig['alerts']>) {
  const zones = ((value.exclusionZones as ExclusionZone[] | undefined) ??
    []) as Partial<ExclusionZone>[];
  const shapes: PreviewShape[] = [
    { key: 'jurisdiction', geometry: saved.jurisdiction, label: 'Jurisdiction', tone: 'saved' },
    ...zones.flatMap((z, i) =>
      z.geometry
        ? [
            {
              key: `zone-${i}`,
              geometry: z.geometry,
              label: z.name || z.id || 'Zone',
              tone: 'zone' as const,
            },
          ]
        : [],
    ),
  ];
  return (
    <>
      <ChoiceList
        label="Urgent gunshot detections"
        path="urgentGunshotTypes"
        choices={GUNSHOT_TYPES}
        value={value.urgentGunshotTypes as never}
        onChange={(v) => set(['urgentGunshotTypes'], v)}
        errors={errors}
      />
      <ListField
        label="Urgent hot lists (LPR)"
        path="urgentHotLists"
        value={value.urgentHotLists as string[]}
        onChange={(v) => set(['urgentHotLists'], v)}
        errors={errors}
      />
      <ChoiceList
        label="Urgent CAP severities"
        path="urgentCapSeverities"
        choices={ALERT_SEVERITIES}
        value={value.urgentCapSeverities as never}
        onChange={(v) => set(['urgentCapSeverities'], v)}
        errors={errors}
      />
      <CheckField
        label="Zone entries are urgent"
        path="urgentZoneEntries"
        value={value.urgentZoneEntries as boolean}
        onChange={(v) => set(['urgentZoneEntries'], v)}
        errors={errors}
      />
      <NumberField
        label="Announce alerts received within (minutes of when they happened)"
        path="announceWithinMinutes"
        value={value.announceWithinMinutes}
        onChange={(v) => set(['announceWithinMinutes'], v)}
        errors={errors}
      />
      <NumberField
        label="Refuse detections older than (days)"
        path="maxAgeDays"
        value={value.maxAgeDays}
        onChange={(v) => set(['maxAgeDays'], v)}
        errors={errors}
      />
      <NumberField
        label="Refuse positions farther than (km from the jurisdiction)"
        path="plausibleRangeKm"
        value={value.plausibleRangeKm}
        onChange={(v) => set(['plausibleRangeKm'], v)}
        errors={errors}
      />
      <OriginsField
        value={value.mediaOrigins}
        set={(v) => set(['mediaOrigins'], v)}
        errors={errors}
      />
      <ZonesEditor zones={zones} set={(v) => set(['exclusionZones'], v)} errors={errors} />
      <GeometryPreview shapes={shapes} />
    </>
  );
}

const PRESETS = ['fit', '1x1', '2x2', '3x3', '4x4'] as const;

function RuleEditor({
  rule,
  i,
  set,
  errors,
}: {
  rule: Partial<DockRule>;
  i: number;
  set: (path: (string | number)[], v: unknown) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const p = `rules.${i}`;
  return (
    <div className="agency-rule" data-testid="agency-rule">
      <div className="window-row">
        <input
          aria-label="Rule name"
          value={rule.name ?? ''}
          onChange={(e) => set(['rules', i, 'name'], e.target.value)}
        />
        <span className="hint">{rule.target === 'incident' ? 'incidents' : 'alerts'}</span>
        <label>
          Wall preset{' '}
          <select
            value={String(rule.preset ?? 'fit')}
            onChange={(e) => set(['rules', i, 'preset'], e.target.value)}
          >
            {PRESETS.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} path={`${p}.name`} />
      </div>
      {rule.target === 'incident' ? (
        <>
          <ListField
            label="Priorities (none: any)"
            path={`${p}.priorities`}
            numbers
            value={(rule as { priorities?: number[] }).priorities}
            onChange={(v) => set(['rules', i, 'priorities'], v)}
            errors={errors}
          />
          <ListField
            label="Call types (none: any)"
            path={`${p}.callTypes`}
            value={(rule as { callTypes?: string[] }).callTypes}
            onChange={(v) => set(['rules', i, 'callTypes'], v)}
            errors={errors}
          />
          <CheckField
            label="Only calls the center works"
            path={`${p}.workedOnly`}
            value={(rule as { workedOnly?: boolean }).workedOnly ?? true}
            onChange={(v) => set(['rules', i, 'workedOnly'], v)}
            errors={errors}
          />
        </>
      ) : (
        <>
          <ListField
            label="Alert kinds (gunshot, lpr, zone, cap…; none: any)"
            path={`${p}.alertKinds`}
            value={(rule as { alertKinds?: string[] }).alertKinds}
            onChange={(v) => set(['rules', i, 'alertKinds'], v)}
            errors={errors}
          />
          <ListField
            label="Tags, e.g. a hot list (none: any)"
            path={`${p}.tags`}
            value={(rule as { tags?: string[] }).tags}
            onChange={(v) => set(['rules', i, 'tags'], v)}
            errors={errors}
          />
        </>
      )}
    </div>
  );
}

function DockingForm({ value, set, errors }: Props<AgencyConfig['docking']>) {
  const reach = (value.reach ?? {}) as Record<string, { count?: unknown; radiusM?: unknown }>;
  const rules = ((value.rules as DockRule[] | undefined) ?? []) as Partial<DockRule>[];
  return (
    <>
      {(['incident', 'alert'] as const).map((kind) => (
        <fieldset key={kind}>
          <legend>Reach for {kind === 'incident' ? 'incidents' : 'alerts'}</legend>
          <NumberField
            label="Cameras (1 to 16)"
            path={`reach.${kind}.count`}
            value={reach[kind]?.count}
            onChange={(v) => set(['reach', kind, 'count'], v)}
            errors={errors}
          />
          <NumberField
            label="Radius (metres, up to 2,000)"
            path={`reach.${kind}.radiusM`}
            value={reach[kind]?.radiusM}
            onChange={(v) => set(['reach', kind, 'radiusM'], v)}
            errors={errors}
          />
        </fieldset>
      ))}
      <fieldset>
        <legend>
          Automation: what docks by itself on the walls of the analysts following the queue
        </legend>
        {rules.map((r, i) => (
          <div key={i}>
            <RuleEditor rule={r} i={i} set={set} errors={errors} />
            <button
              type="button"
              className="btn small ghost"
              onClick={() =>
                set(
                  ['rules'],
                  rules.filter((_, j) => j !== i),
                )
              }
            >
              Remove the rule
            </button>
          </div>
        ))}
        <div className="window-row">
          <button
            type="button"
            className="btn small"
            data-testid="agency-add-incident-rule"
            onClick={() =>
              set(
                ['rules'],
                [
                  ...rules,
                  {
                    name: 'Priority 1 calls',
                    target: 'incident',
                    priorities: [1],
                    callTypes: [],
                    workedOnly: true,
                    preset: 'fit',
                  },
                ],
              )
            }
          >
            + Rule for incidents
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() =>
              set(
                ['rules'],
                [
                  ...rules,
                  {
                    name: 'Every gunshot',
                    target: 'alert',
                    alertKinds: ['gunshot'],
                    tags: [],
                    preset: 'fit',
                  },
                ],
              )
            }
          >
            + Rule for alerts
          </button>
        </div>
        <FieldError errors={errors} path="rules" />
      </fieldset>
    </>
  );
}

function CasesForm({ value, set, errors }: Props<AgencyConfig['cases']>) {
  const format = String(value.numberFormat ?? '');
  return (
    <TextField
      label="Case number format"
      path="numberFormat"
      value={format}
      onChange={(v) => set(['numberFormat'], v)}
      errors={errors}
      hint={
        <>
          {
            '{yyyy} or {yy}: the year; {seq:N}: a counter padded to N digits, restarting each year. '
          }
          {!errors.numberFormat && format && (
            <strong data-testid="agency-case-example">
              Example: {formatCaseNumber(format, 2026, 4512)}
            </strong>
          )}
        </>
      }
    />
  );
}

function ProductsForm({ value, set, errors }: Props<AgencyConfig['products']>) {
  const line = String(value.classification ?? '');
  return (
    <>
      <TextField
        label="Handling line on every page"
        path="classification"
        value={line}
        onChange={(v) => set(['classification'], v)}
        errors={errors}
      />
      {line.trim() && (
        <p className="agency-classification" data-testid="agency-classification-preview">
          {line.trim()}
        </p>
      )}
    </>
  );
}

/** The audit review's flag thresholds, each with what it flags (docs/audit-review.md). */
const AUDIT_FLAG_FIELDS: readonly {
  readonly path: keyof AgencyConfig['auditFlags'];
  readonly label: string;
  readonly step?: number;
}[] = [
  {
    path: 'noCaseViewsPerDay',
    label: "A user's views a day without a case number: more is flagged",
  },
  {
    path: 'privateCameraDays',
    label: 'Days one user views the same private camera without a case',
  },
  { path: 'privateCameraWindowDays', label: '…within this many days' },
  { path: 'baselineDays', label: "Days read for a user's usual shift and volume" },
  { path: 'baselineMinDays', label: 'Active days needed before a usual is known' },
  {
    path: 'usualShiftShare',
    label: "Share of a user's shifts that makes one usual (0.5 to 1)",
    step: 0.05,
  },
  {
    path: 'volumeFactor',
    label: "A day's views above this many times the usual is flagged",
    step: 0.5,
  },
  { path: 'volumeMinViews', label: '…when the day has at least this many views' },
];

function AuditFlagsForm({ value, set, errors }: Props<AgencyConfig['auditFlags']>) {
  return (
    <>
      {AUDIT_FLAG_FIELDS.map((f) => (
        <NumberField
          key={f.path}
          label={f.label}
          path={f.path}
          value={value[f.path]}
          onChange={(v) => set([f.path], v)}
          errors={errors}
          {...(f.step === undefined ? {} : { step: f.step })}
        />
      ))}
    </>
  );
}

/** The public portal's colour and texts (docs/portal.md); the promises are one per line. */
function PortalForm({ value, set, errors }: Props<AgencyConfig['portal']>) {
  const promises = Array.isArray(value.registrationPromises) ? value.registrationPromises : [];
  const promiseError = Object.keys(errors).find((k) => k.startsWith('registrationPromises'));
  return (
    <>
      <TextField
        label="Header and button colour"
        path="primaryColor"
        value={String(value.primaryColor ?? '')}
        onChange={(v) => set(['primaryColor'], v)}
        errors={errors}
        hint="# and six hex digits; text on it is white, so keep it dark."
      />
      <TextField
        label="Emergency notice (first on every page)"
        path="emergencyNotice"
        value={String(value.emergencyNotice ?? '')}
        onChange={(v) => set(['emergencyNotice'], v)}
        errors={errors}
        multiline
      />
      <TextField
        label="False-report notice"
        path="falseReportNotice"
        value={String(value.falseReportNotice ?? '')}
        onChange={(v) => set(['falseReportNotice'], v)}
        errors={errors}
        multiline
      />
      <TextField
        label="What registering a camera promises (one per line)"
        path="registrationPromises"
        value={promises.join('\n')}
        onChange={(v) =>
          set(
            ['registrationPromises'],
            v.split('\n').filter((line, i, all) => line.trim() !== '' || i === all.length - 1),
          )
        }
        errors={promiseError ? { ...errors, registrationPromises: errors[promiseError]! } : errors}
        multiline
      />
      <CheckField
        label="Show camera owners the name of the analyst who viewed their cameras"
        path="showViewerNames"
        value={value.showViewerNames === true}
        onChange={(v) => set(['showViewerNames'], v)}
        errors={errors}
      />
    </>
  );
}

/** One category a line: `key | label | what it asks for`, e.g. `fraud | Fraud | property`. */
const categoryLine = (c: { key?: unknown; label?: unknown; asks?: unknown }) =>
  [String(c.key ?? ''), String(c.label ?? ''), Array.isArray(c.asks) ? c.asks.join(', ') : '']
    .join(' | ')
    .replace(/ \| $/, '');

function categoriesOf(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [key = '', label = '', asks = ''] = line.split('|').map((p) => p.trim());
      return {
        key,
        label,
        asks: asks
          .split(',')
          .map((a) => a.trim())
          .filter((a) => a !== ''),
      };
    });
}

/** Online reports from the public: categories, rules and the review clock (docs/online-reports.md). */
function OnlineReportsForm({ value, set, errors }: Props<AgencyConfig['onlineReports']>) {
  const categories = Array.isArray(value.categories) ? value.categories : [];
  const categoryError = Object.keys(errors).find((k) => k.startsWith('categories'));
  const [text, setText] = useState(categories.map(categoryLine).join('\n'));
  return (
    <>
      <CheckField
        label="The portal takes online reports"
        path="enabled"
        value={value.enabled === true}
        onChange={(v) => set(['enabled'], v)}
        errors={errors}
      />
      <NumberField
        label="Hours to decide a report"
        path="reviewHours"
        value={value.reviewHours}
        onChange={(v) => set(['reviewHours'], v)}
        errors={errors}
        hint="Past this, a report is overdue in the review queue."
      />
      <NumberField
        label="Minimum age of a reporter"
        path="minimumAge"
        value={value.minimumAge}
        onChange={(v) => set(['minimumAge'], v)}
        errors={errors}
      />
      <TextField
        label="Number to call for a lost or stolen firearm"
        path="firearmsPhone"
        value={String(value.firearmsPhone ?? '')}
        onChange={(v) => set(['firearmsPhone'], v)}
        errors={errors}
        hint="Empty: the reporter is told to contact the department."
      />
      <TextField
        label="What a refused or rejected reporter is told to do"
        path="officerHelp"
        value={String(value.officerHelp ?? '')}
        onChange={(v) => set(['officerHelp'], v)}
        errors={errors}
        multiline
      />
      <TextField
        label="Categories (one a line: key | label | property, vehicle, caseNumber)"
        path="categories"
        value={text}
        onChange={(v) => {
          setText(v);
          set(['categories'], categoriesOf(v));
        }}
        errors={categoryError ? { ...errors, categories: errors[categoryError]! } : errors}
        multiline
      />
    </>
  );
}

/** The tip line keeps its own panel; its section saves through the same route and audit. */
function TipLineSection() {
  return <TipLineSettingsPanel />;
}

export interface SectionView {
  readonly title: string;
  /** Most sections are edited here; the tip line's panel saves itself. */
  readonly Form?: ComponentType<Props<never> & FormProps<never>>;
  readonly Own?: ComponentType;
}

export const SECTION_VIEWS: Readonly<Record<AgencySectionName, SectionView>> = {
  identity: { title: 'Name, time zone and logo', Form: IdentityForm as never },
  jurisdiction: { title: 'Jurisdiction', Form: BoundaryForm as never },
  map: { title: 'Map', Form: MapForm as never },
  session: { title: 'Idle lock', Form: SessionForm as never },
  shifts: { title: 'Shifts', Form: ShiftsForm as never },
  tipLine: { title: 'Tip line', Own: TipLineSection },
  incidents: { title: 'Calls the center works', Form: IncidentsForm as never },
  alerts: { title: 'Alerts and exclusion zones', Form: AlertsForm as never },
  docking: { title: 'Docking and automation', Form: DockingForm as never },
  cases: { title: 'Case numbers', Form: CasesForm as never },
  products: { title: 'Products', Form: ProductsForm as never },
  retention: { title: 'Retention', Form: RetentionForm as never },
  auditFlags: { title: 'Audit review flags', Form: AuditFlagsForm as never },
  portal: { title: 'Public portal', Form: PortalForm as never },
  onlineReports: { title: 'Online reports', Form: OnlineReportsForm as never },
};
