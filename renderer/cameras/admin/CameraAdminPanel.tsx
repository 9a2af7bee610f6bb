import { useEffect, useState, type ChangeEvent, type ReactNode } from 'react';
import {
  CAMERA_KINDS,
  SOURCE_PROTOCOLS,
  type CameraKind,
  type PtzProtocol,
} from '../../../shared/domain/cameras';
import type { ImportResult } from '../../../shared/api/cameras';
import type {
  CameraAdminDetail,
  DuplicatePair,
  RecordingsTestResult,
  SourceTestResult,
} from '../../../shared/api/cameraAdmin';
import { useCameraAdminStore } from './cameraAdminStore';
import { LocationPicker } from './LocationPicker';
import { WEEKDAYS, type Weekday } from '../../../shared/domain/sharingPolicy';
import {
  credentialLabel,
  emptyRecordings,
  emptyWindow,
  toggleDay,
  type SharingDraft,
  type WindowDraft,
  parseTypedLocation,
  policySummary,
  sharingEditable,
  type CameraDraft,
  type FieldErrors,
} from './cameraDraft';

const KIND_LABELS: Readonly<Record<CameraKind, string>> = {
  registered: 'Registered (a location an owner shared)',
  integrated: 'Integrated (owner shares video)',
  agency: "Agency (the center's own)",
};

function Err({ errors, field }: { errors: FieldErrors; field: string }) {
  const m = errors[field];
  return m ? (
    <span className="error-text" role="alert" data-testid={`camera-error-${field}`}>
      {field}: {m}
    </span>
  ) : null;
}

function Text(props: {
  label: string;
  field: string;
  value: string;
  errors: FieldErrors;
  onChange: (v: string) => void;
  type?: string;
  placeholder?: string;
  disabled?: boolean;
}) {
  const id = `camera-admin-${props.field}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
      />
      <Err errors={props.errors} field={props.field} />
    </div>
  );
}

/** What a source's credentials look like in the form: on file or not, replaced or kept. */
interface CredentialDraft {
  readonly credentialsOnFile: boolean;
  readonly replaceCredentials: boolean;
  readonly username: string;
  readonly password: string;
}

/**
 * A source's credentials: whether some are on file (never shown), and the fields to give new
 * ones, for the live source and the recordings source alike.
 */
function CredentialFields(props: {
  field: 'source' | 'recordings';
  testId?: string;
  value: CredentialDraft;
  errors: FieldErrors;
  onChange: (patch: Partial<CredentialDraft>) => void;
}) {
  const { value: v, errors, onChange } = props;
  return (
    <>
      <p className="muted" {...(props.testId ? { 'data-testid': props.testId } : {})}>
        {credentialLabel(v.credentialsOnFile, v.replaceCredentials)}
      </p>
      {v.credentialsOnFile && (
        <label>
          <input
            type="checkbox"
            checked={v.replaceCredentials}
            onChange={(e) => onChange({ replaceCredentials: e.target.checked })}
          />{' '}
          Replace the credentials
        </label>
      )}
      {(v.replaceCredentials || !v.credentialsOnFile) && (
        <>
          <Text
            label="Username"
            field={`${props.field}.username`}
            value={v.username}
            errors={errors}
            onChange={(username) => onChange({ username })}
          />
          <Text
            label="Password"
            field={`${props.field}.password`}
            type="password"
            value={v.password}
            errors={errors}
            onChange={(password) => onChange({ password })}
          />
        </>
      )}
    </>
  );
}

/** The result of "test source": the frame, the codec, and which tool named it. */
export function SourceTestView({ result }: { result: SourceTestResult }) {
  return (
    <div className={result.ok ? 'source-test ok' : 'source-test failed'} data-testid="source-test">
      <p>{result.message}</p>
      <p className="muted">
        Codec by {result.probe}: {result.codec ?? 'unknown'}
        {result.width ? ` · ${result.width}×${result.height}` : ''}
      </p>
      {result.snapshotJpeg && (
        <img alt="Snapshot from the source" src={`data:image/jpeg;base64,${result.snapshotJpeg}`} />
      )}
    </div>
  );
}

/**
 * The result of "test recordings", shown as the live test's: what happened, the range asked for,
 * the recorder's answer and what the probe read in it, and a frame when one decoded.
 */
export function RecordingsTestView({ result }: { result: RecordingsTestResult }) {
  const { container, codec, durationS, width, height } = result;
  return (
    <div
      className={result.ok ? 'source-test ok' : 'source-test failed'}
      data-testid="recordings-test"
    >
      <p>{result.message}</p>
      <p className="muted">
        Asked for {result.range.start} to {result.range.end} · HTTP{' '}
        {result.httpStatus ?? 'no answer'} · {result.bytes.toLocaleString('en-US')} bytes
      </p>
      {codec && (
        <p className="muted">
          By {result.probe}: {codec}
          {width ? ` · ${width}×${height}` : ''}
          {durationS !== null ? ` · ${durationS.toFixed(1)} s` : ''}
          {container ? ` · ${container}` : ''}
        </p>
      )}
      {result.snapshotJpeg && (
        <img
          alt="A frame from the recordings"
          src={`data:image/jpeg;base64,${result.snapshotJpeg}`}
        />
      )}
    </div>
  );
}

/** The import's report: how many were created, and each rejected row with its reason. */
export function ImportReport({ result }: { result: ImportResult }) {
  return (
    <div className="import-report" data-testid="camera-import-report">
      <p>
        Created {result.created} camera{result.created === 1 ? '' : 's'}; rejected{' '}
        {result.rejected.length} row{result.rejected.length === 1 ? '' : 's'}.
      </p>
      {result.rejected.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Row</th>
              <th>Why it was rejected</th>
            </tr>
          </thead>
          <tbody>
            {result.rejected.map((r) => (
              <tr key={`${r.row}-${r.reason}`}>
                <td>{r.row}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Flagged pairs: the admin picks which entry survives. */
export function DuplicateList(props: {
  pairs: readonly DuplicatePair[];
  onMerge: (survivorId: string, duplicateId: string) => void;
}) {
  if (props.pairs.length === 0) return <p className="muted">No possible duplicates flagged.</p>;
  return (
    <ul className="camera-duplicates" data-testid="camera-duplicates">
      {props.pairs.map((p) => (
        <li key={`${p.a.id}:${p.b.id}`}>
          <span>
            “{p.a.name}” and “{p.b.name}”: {p.reason}
          </span>{' '}
          <button type="button" className="btn small" onClick={() => props.onMerge(p.a.id, p.b.id)}>
            Keep “{p.a.name}”
          </button>{' '}
          <button type="button" className="btn small" onClick={() => props.onMerge(p.b.id, p.a.id)}>
            Keep “{p.b.name}”
          </button>
        </li>
      ))}
    </ul>
  );
}

const maybe = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/**
 * The policy's weekly windows (days, start, end; an end at or before the start runs past
 * midnight) and the agreement's first and last day, in the agency's time zone. Each window is a
 * group named for its number, so a screen reader says which window a day or time belongs to.
 */
export function ScheduleEditor({
  sharing,
  errors,
  onChange,
}: {
  sharing: SharingDraft;
  errors: FieldErrors;
  onChange: (s: SharingDraft) => void;
}) {
  const windows = sharing.windows;
  const setWindow = (i: number, w: WindowDraft) =>
    onChange({ ...sharing, windows: windows.map((x, j) => (j === i ? w : x)) });
  return (
    <div className="camera-schedule" data-testid="camera-schedule">
      <p className="muted">
        Weekly windows, in the agency&apos;s time zone
        {sharing.mode === 'schedule' ? '' : ' (used when the mode is "in weekly windows")'}. An end
        at or before the start runs past midnight.
      </p>
      {windows.length === 0 && <p className="muted">No windows.</p>}
      {windows.map((w, i) => {
        const n = i + 1;
        const id = `camera-window-${i}`;
        return (
          <fieldset key={i} className="camera-window" data-testid="camera-window">
            <legend>Window {n}</legend>
            <div role="group" aria-label={`Days of window ${n}`}>
              {WEEKDAYS.map((day) => (
                <label key={day}>
                  <input
                    type="checkbox"
                    checked={w.days.includes(day)}
                    onChange={(e) => setWindow(i, toggleDay(w, day, e.target.checked))}
                  />{' '}
                  <abbr title={DAY_NAMES[day]}>{day}</abbr>
                </label>
              ))}
            </div>
            <div className="field">
              <label htmlFor={`${id}-start`}>Start</label>
              <input
                id={`${id}-start`}
                type="time"
                value={w.start}
                onChange={(e) => setWindow(i, { ...w, start: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-end`}>End</label>
              <input
                id={`${id}-end`}
                type="time"
                value={w.end}
                onChange={(e) => setWindow(i, { ...w, end: e.target.value })}
              />
            </div>
            <Err errors={errors} field={`sharing.windows.${i}`} />
            <button
              type="button"
              className="btn small"
              aria-label={`Remove window ${n}`}
              onClick={() => onChange({ ...sharing, windows: windows.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="btn small"
        data-testid="camera-window-add"
        disabled={windows.length >= 50}
        onClick={() => onChange({ ...sharing, windows: [...windows, emptyWindow()] })}
      >
        Add a window
      </button>
      <label>
        <input
          type="checkbox"
          checked={sharing.alsoDuringAlarm}
          onChange={(e) => onChange({ ...sharing, alsoDuringAlarm: e.target.checked })}
        />{' '}
        also outside the windows while the owner&apos;s alarm is raised
      </label>
      <Text
        label="First day of the agreement (optional)"
        field="sharing.validFrom"
        type="date"
        value={sharing.validFrom}
        errors={errors}
        onChange={(validFrom) => onChange({ ...sharing, validFrom })}
      />
      <Text
        label="Last day of the agreement (optional)"
        field="sharing.validUntil"
        type="date"
        value={sharing.validUntil}
        errors={errors}
        onChange={(validUntil) => onChange({ ...sharing, validUntil })}
      />
    </div>
  );
}

/** The form for one camera, new or on file. */
export function CameraEditor({
  draft,
  errors,
  detail,
}: {
  draft: CameraDraft;
  errors: FieldErrors;
  /** The camera as loaded (null for a new one). */
  detail: CameraAdminDetail | null;
}) {
  const edit = useCameraAdminStore((s) => s.edit);
  const save = useCameraAdminStore((s) => s.save);
  const retire = useCameraAdminStore((s) => s.retire);
  const close = useCameraAdminStore((s) => s.close);
  const testSource = useCameraAdminStore((s) => s.testSource);
  const testing = useCameraAdminStore((s) => s.testing);
  const test = useCameraAdminStore((s) => s.test);
  const testRecordings = useCameraAdminStore((s) => s.testRecordings);
  const testingRecordings = useCameraAdminStore((s) => s.testingRecordings);
  const recordingsTest = useCameraAdminStore((s) => s.recordingsTest);
  const [typed, setTyped] = useState('');
  const [confirmRetire, setConfirmRetire] = useState(false);
  const set = (patch: Partial<CameraDraft>) => edit((d) => ({ ...d, ...patch }));
  const retired = detail?.camera.status === 'retired';
  const src = draft.source;
  const rec = draft.recordings;

  return (
    <form
      className="camera-editor"
      data-testid="camera-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>
        {draft.id ? draft.name || 'Camera' : 'New camera'}{' '}
        <span className="muted">({draft.kind})</span>
        {retired && (
          <span className="muted"> · retired{detail?.mergedInto ? ' (merged)' : ''}</span>
        )}
      </h3>
      <Err errors={errors} field="form" />
      <Section title="Where">
        <Text
          label="Name"
          field="name"
          value={draft.name}
          errors={errors}
          onChange={(v) => set({ name: v })}
        />
        <Text
          label="Address"
          field="address"
          value={draft.address}
          errors={errors}
          onChange={(v) => set({ address: v })}
        />
        <LocationPicker
          lat={maybe(draft.lat)}
          lng={maybe(draft.lng)}
          bearingDeg={maybe(draft.bearingDeg)}
          fovDeg={maybe(draft.fovDeg)}
          rangeM={maybe(draft.rangeM)}
          onPick={(lat, lng) => set({ lat: String(lat), lng: String(lng) })}
        />
        <div className="field">
          <label htmlFor="camera-admin-typed">Type “lat, lng”</label>
          <input
            id="camera-admin-typed"
            value={typed}
            placeholder="36.0999, -80.2442"
            onChange={(e) => {
              setTyped(e.target.value);
              const p = parseTypedLocation(e.target.value);
              if (p) set({ lat: String(p.lat), lng: String(p.lng) });
            }}
          />
        </div>
        <Text
          label="Latitude"
          field="lat"
          value={draft.lat}
          errors={errors}
          onChange={(v) => set({ lat: v })}
        />
        <Text
          label="Longitude"
          field="lng"
          value={draft.lng}
          errors={errors}
          onChange={(v) => set({ lng: v })}
        />
        <Err errors={errors} field="location" />
        <Text
          label="Bearing (0–359°)"
          field="bearingDeg"
          value={draft.bearingDeg}
          errors={errors}
          onChange={(v) => set({ bearingDeg: v })}
        />
        <Text
          label="Field of view (°)"
          field="fovDeg"
          value={draft.fovDeg}
          errors={errors}
          onChange={(v) => set({ fovDeg: v })}
        />
        <Text
          label="Range (m)"
          field="rangeM"
          value={draft.rangeM}
          errors={errors}
          onChange={(v) => set({ rangeM: v })}
        />
        <Text
          label="Notes"
          field="notes"
          value={draft.notes}
          errors={errors}
          onChange={(v) => set({ notes: v })}
        />
      </Section>

      {draft.kind !== 'agency' && (
        <Section title="Owner">
          <Text
            label="Owner's name"
            field="ownerName"
            value={draft.ownerName}
            errors={errors}
            onChange={(v) => set({ ownerName: v })}
          />
          <Text
            label="Phone"
            field="ownerPhone"
            value={draft.ownerPhone}
            errors={errors}
            onChange={(v) => set({ ownerPhone: v })}
          />
          <Text
            label="Email"
            field="ownerEmail"
            value={draft.ownerEmail}
            errors={errors}
            onChange={(v) => set({ ownerEmail: v })}
          />
          {draft.kind === 'registered' && (
            <Text
              label="Owner keeps recordings (days)"
              field="retentionDays"
              value={draft.retentionDays}
              errors={errors}
              onChange={(v) => set({ retentionDays: v })}
            />
          )}
        </Section>
      )}

      {draft.kind === 'integrated' && draft.sharing && (
        <Section title="The owner's sharing policy">
          {detail?.camera.sharing && (
            <p className="muted" data-testid="camera-policy-summary">
              On file: {policySummary(detail.camera.sharing)}
            </p>
          )}
          <div className="field">
            <label htmlFor="camera-admin-keeper">Kept by</label>
            <select
              id="camera-admin-keeper"
              value={draft.policyKeeper}
              onChange={(e) => set({ policyKeeper: e.target.value as 'agency' | 'owner' })}
            >
              <option value="owner">the owner (shown read-only)</option>
              <option value="agency">the agency, on the owner&apos;s behalf</option>
            </select>
          </div>
          <fieldset
            disabled={
              !sharingEditable({
                ...draft,
                policyKeeper: detail?.policyKeeper ?? draft.policyKeeper,
              })
            }
            data-testid="camera-sharing"
          >
            <select
              aria-label="Sharing mode"
              value={draft.sharing.mode}
              onChange={(e) =>
                set({ sharing: { ...draft.sharing!, mode: e.target.value as 'always' } })
              }
            >
              <option value="always">always</option>
              <option value="schedule">in weekly windows</option>
              <option value="alarm">only during the owner&apos;s alarm</option>
            </select>
            {(['live', 'recordings', 'ptz', 'withdrawn'] as const).map((k) => (
              <label key={k}>
                <input
                  type="checkbox"
                  checked={draft.sharing![k]}
                  onChange={(e) => set({ sharing: { ...draft.sharing!, [k]: e.target.checked } })}
                />{' '}
                {k}
              </label>
            ))}
            <ScheduleEditor
              sharing={draft.sharing}
              errors={errors}
              onChange={(sharing) => set({ sharing })}
            />
          </fieldset>
        </Section>
      )}

      {src && (
        <Section title="Live source">
          <div className="field">
            <label htmlFor="camera-admin-protocol">Protocol</label>
            <select
              id="camera-admin-protocol"
              value={src.protocol}
              onChange={(e) =>
                set({ source: { ...src, protocol: e.target.value as typeof src.protocol } })
              }
            >
              {SOURCE_PROTOCOLS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </div>
          <Text
            label="Address"
            field="source.url"
            value={src.url}
            errors={errors}
            placeholder="rtsp://camera.example/stream"
            onChange={(v) => set({ source: { ...src, url: v } })}
          />
          <Text
            label="Substream address (optional)"
            field="source.substreamUrl"
            value={src.substreamUrl}
            errors={errors}
            onChange={(v) => set({ source: { ...src, substreamUrl: v } })}
          />
          <label>
            <input
              type="checkbox"
              checked={src.ptz}
              onChange={(e) => set({ source: { ...src, ptz: e.target.checked } })}
            />{' '}
            PTZ
          </label>
          {src.ptz && (
            <div className="field">
              <label htmlFor="camera-admin-ptz-protocol">PTZ control</label>
              <select
                id="camera-admin-ptz-protocol"
                value={src.ptzProtocol}
                onChange={(e) =>
                  set({ source: { ...src, ptzProtocol: e.target.value as PtzProtocol } })
                }
              >
                <option value="json">JSON command to the address</option>
                <option value="onvif">ONVIF (the address is the device service)</option>
              </select>
            </div>
          )}
          {src.ptz && (
            <Text
              label="PTZ control address (optional)"
              field="source.ptzUrl"
              value={src.ptzUrl}
              errors={errors}
              placeholder="http://camera.example/ptz"
              onChange={(v) => set({ source: { ...src, ptzUrl: v } })}
            />
          )}
          <CredentialFields
            field="source"
            testId="source-credentials"
            value={src}
            errors={errors}
            onChange={(patch) => set({ source: { ...src, ...patch } })}
          />
          <Err errors={errors} field="source.keepCredentials" />
          <button
            type="button"
            className="btn small"
            disabled={testing || src.url.trim() === ''}
            onClick={() => void testSource()}
          >
            {testing ? 'Testing…' : 'Test source'}
          </button>
          {test && <SourceTestView result={test} />}
        </Section>
      )}

      {draft.kind !== 'registered' && (
        <Section title="Recordings source">
          {rec ? (
            <>
              <Text
                label="Address with {start} and {end}"
                field="recordings.urlTemplate"
                value={rec.urlTemplate}
                errors={errors}
                onChange={(v) => set({ recordings: { ...rec, urlTemplate: v } })}
              />
              <button
                type="button"
                className="btn small"
                disabled={testingRecordings || rec.urlTemplate.trim() === ''}
                onClick={() => void testRecordings()}
              >
                {testingRecordings ? 'Testing…' : 'Test recordings'}
              </button>
              {recordingsTest && <RecordingsTestView result={recordingsTest} />}
              <CredentialFields
                field="recordings"
                value={rec}
                errors={errors}
                onChange={(patch) => set({ recordings: { ...rec, ...patch } })}
              />
              <button
                type="button"
                className="btn small ghost"
                onClick={() => set({ recordings: null })}
              >
                Remove the recordings source
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn small"
              onClick={() => set({ recordings: emptyRecordings() })}
            >
              Add a recordings source
            </button>
          )}
        </Section>
      )}

      <div className="actions">
        {!retired && (
          <button type="submit" className="btn">
            Save
          </button>
        )}{' '}
        {draft.id &&
          !retired &&
          (confirmRetire ? (
            <span>
              It leaves the map and search; its history stays.{' '}
              <button
                type="button"
                className="btn small"
                onClick={() => void retire().then(() => setConfirmRetire(false))}
              >
                Retire
              </button>{' '}
              <button
                type="button"
                className="btn small ghost"
                onClick={() => setConfirmRetire(false)}
              >
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn small" onClick={() => setConfirmRetire(true)}>
              Retire…
            </button>
          ))}{' '}
        <button type="button" className="btn small ghost" onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}

/** Camera administration: find, create, edit, test, import, merge, retire (key Q). */
export function CameraAdminPanel() {
  const query = useCameraAdminStore((s) => s.query);
  const showRetired = useCameraAdminStore((s) => s.showRetired);
  const cameras = useCameraAdminStore((s) => s.cameras);
  const draft = useCameraAdminStore((s) => s.draft);
  const detail = useCameraAdminStore((s) => s.detail);
  const errors = useCameraAdminStore((s) => s.errors);
  const notice = useCameraAdminStore((s) => s.notice);
  const imported = useCameraAdminStore((s) => s.imported);
  const importing = useCameraAdminStore((s) => s.importing);
  const duplicates = useCameraAdminStore((s) => s.duplicates);
  const { search, open, startNew, importFile, loadDuplicates, merge } =
    useCameraAdminStore.getState();

  useEffect(() => {
    void search(query);
  }, []);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    void file.text().then((content) => importFile(file.name, content));
    e.target.value = '';
  };

  return (
    <section className="camera-admin" data-testid="camera-admin-panel">
      <h2>Cameras</h2>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="camera-admin-tools">
        <input
          aria-label="Search cameras"
          placeholder="Name or address"
          value={query}
          onChange={(e) => void search(e.target.value)}
        />
        <label>
          <input
            type="checkbox"
            checked={showRetired}
            onChange={(e) => void search(query, e.target.checked)}
          />{' '}
          retired too
        </label>
        {CAMERA_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className="btn small"
            title={KIND_LABELS[k]}
            onClick={() => startNew(k)}
          >
            New {k}
          </button>
        ))}
        <label className="btn small">
          {importing ? 'Importing…' : 'Import CSV / GeoJSON'}
          <input type="file" accept=".csv,.geojson,.json" hidden onChange={onFile} />
        </label>
        <button type="button" className="btn small" onClick={() => void loadDuplicates()}>
          Possible duplicates
        </button>
      </div>
      {imported && <ImportReport result={imported} />}
      {duplicates && <DuplicateList pairs={duplicates} onMerge={(a, b) => void merge(a, b)} />}
      {draft ? (
        <CameraEditor draft={draft} errors={errors} detail={detail} />
      ) : (
        <ul className="camera-admin-list">
          {cameras.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => void open(c.id)}>
                {c.name}
              </button>{' '}
              <span className="muted">
                {c.kind}
                {c.status === 'retired' ? ' · retired' : ''}
                {c.address ? ` · ${c.address}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
