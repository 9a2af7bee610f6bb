import type { z } from 'zod';
import {
  SharingPolicySchema,
  WEEKDAYS,
  type SharingPolicy,
  type Weekday,
} from '../../shared/domain/sharingPolicy';
import { html, type Markup } from './html';
import { errorSummary, type FieldErrors, type FormFields } from './registrationForm';

/**
 * The form an owner sets a camera's sharing policy with (docs/owners.md): plain fields that work
 * without a script, weekly windows added and removed with the form's own buttons, checked with
 * the same SharingPolicySchema the server enforces.
 */

/** Windows the form offers; each is nine fields, and a form holds at most 100. */
export const MAX_FORM_WINDOWS = 7;

const DAY_WORDS: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

const windowField = (i: number, f: string) => `w${i}_${f}`;

export function windowCount(fields: FormFields): number {
  const n = Number(fields.windowCount);
  return Number.isInteger(n) ? Math.min(Math.max(n, 0), MAX_FORM_WINDOWS) : 0;
}

/** The form's fields for a policy on file. */
export function policyFields(p: SharingPolicy): Record<string, string> {
  const out: Record<string, string> = {
    mode: p.mode,
    windowCount: String(Math.min(p.windows.length, MAX_FORM_WINDOWS)),
    validFrom: p.validFrom ?? '',
    validUntil: p.validUntil ?? '',
  };
  if (p.alsoDuringAlarm) out.alsoDuringAlarm = 'yes';
  if (p.live) out.live = 'yes';
  if (p.recordings) out.recordings = 'yes';
  if (p.ptz) out.ptz = 'yes';
  if (p.withdrawn) out.withdrawn = 'yes';
  p.windows.slice(0, MAX_FORM_WINDOWS).forEach((w, i) => {
    for (const d of w.days) out[windowField(i + 1, d)] = 'yes';
    out[windowField(i + 1, 'start')] = w.start;
    out[windowField(i + 1, 'end')] = w.end;
  });
  return out;
}

/** The fields with window `remove` taken out (later ones move up) or an empty one added. */
export function reshapedWindows(
  fields: FormFields,
  change: { add: true } | { remove: number },
): Record<string, string> {
  const n = windowCount(fields);
  const out: Record<string, string> = { ...fields };
  if ('add' in change) {
    const next = Math.min(n + 1, MAX_FORM_WINDOWS);
    if (next > n) {
      out[windowField(next, 'start')] = '08:00';
      out[windowField(next, 'end')] = '18:00';
    }
    out.windowCount = String(next);
    return out;
  }
  if (change.remove < 1 || change.remove > n) return out;
  const names = [...WEEKDAYS, 'start', 'end'];
  for (let i = change.remove; i < n; i++) {
    for (const f of names) {
      const v = fields[windowField(i + 1, f)];
      if (v === undefined) delete out[windowField(i, f)];
      else out[windowField(i, f)] = v;
    }
  }
  for (const f of names) delete out[windowField(n, f)];
  out.windowCount = String(n - 1);
  return out;
}

const ticked = (fields: FormFields, name: string) => fields[name] === 'yes';

function errorsOf(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [top, index, inner] = issue.path;
    let field = String(top ?? 'mode');
    if (top === 'windows' && typeof index === 'number') {
      field =
        inner === 'days'
          ? windowField(index + 1, 'mon')
          : windowField(index + 1, String(inner ?? 'start'));
    }
    const message = top === 'mode' ? 'Choose when to share' : issue.message;
    errors[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return errors;
}

export type CheckedPolicy = { ok: true; value: SharingPolicy } | { ok: false; errors: FieldErrors };

/** The policy the form describes, checked; `ptzPossible` is whether the camera can be steered. */
export function checkPolicy(fields: FormFields, ptzPossible: boolean): CheckedPolicy {
  const windows = Array.from({ length: windowCount(fields) }, (_, k) => {
    const i = k + 1;
    return {
      days: WEEKDAYS.filter((d) => ticked(fields, windowField(i, d))),
      start: (fields[windowField(i, 'start')] ?? '').trim(),
      end: (fields[windowField(i, 'end')] ?? '').trim(),
    };
  });
  const text = (name: string) => {
    const v = (fields[name] ?? '').trim();
    return v === '' ? undefined : v;
  };
  const candidate = {
    mode: fields.mode,
    windows,
    alsoDuringAlarm: ticked(fields, 'alsoDuringAlarm'),
    ...(text('validFrom') ? { validFrom: text('validFrom') } : {}),
    ...(text('validUntil') ? { validUntil: text('validUntil') } : {}),
    live: ticked(fields, 'live'),
    recordings: ticked(fields, 'recordings'),
    ptz: ptzPossible && ticked(fields, 'ptz'),
    withdrawn: ticked(fields, 'withdrawn'),
  };
  const parsed = SharingPolicySchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error.issues) };
  const p = parsed.data;
  const errors: Record<string, string> = {};
  if (p.mode === 'schedule' && p.windows.length === 0) {
    errors.addWindow = 'Add at least one weekly window, or choose another option';
  }
  if (p.validFrom && p.validUntil && p.validFrom > p.validUntil) {
    errors.validUntil = 'The last day is before the first day';
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: p };
}

// ---- Rendering -----------------------------------------------------------------------------

/** The policy form's problems: nothing was changed. */
export function policyErrorSummary(errors: FieldErrors): Markup | string {
  return errorSummary(
    errors,
    'Nothing was changed. Correct the fields marked below and save again.',
  );
}

const errorLine = (errors: FieldErrors, name: string) =>
  errors[name] ? html`<p class="error" id="${name}-error">Error: ${errors[name]}</p>` : '';
const invalid = (errors: FieldErrors, name: string) =>
  errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '';

function checkbox(name: string, label: string, values: FormFields, id = name): Markup {
  return html`<label
    ><input
      type="checkbox"
      id="${id}"
      name="${name}"
      value="yes"
      ${values[name] === 'yes' ? html` checked` : ''}
    />
    ${label}</label
  >`;
}

function timeInput(name: string, label: string, values: FormFields, errors: FieldErrors): Markup {
  return html`<div>
    <label for="${name}">${label}</label>
    ${errorLine(errors, name)}
    <input
      id="${name}"
      name="${name}"
      type="time"
      value="${values[name] ?? ''}"
      required${invalid(errors, name)}
    />
  </div>`;
}

function windowBlock(i: number, values: FormFields, errors: FieldErrors): Markup {
  const daysError = windowField(i, 'mon');
  return html`<fieldset>
    <legend>Window ${i}</legend>
    <div
      class="choice"
      role="group"
      aria-labelledby="${windowField(i, 'days')}-label"
      ${errors[daysError] ? html` aria-describedby="${daysError}-error"` : ''}
    >
      <p class="hint" id="${windowField(i, 'days')}-label">Days</p>
      ${errorLine(errors, daysError)}
      ${WEEKDAYS.map((d) => checkbox(windowField(i, d), DAY_WORDS[d], values))}
    </div>
    <div class="pair">
      ${timeInput(windowField(i, 'start'), 'From', values, errors)}
      ${timeInput(windowField(i, 'end'), 'Until', values, errors)}
    </div>
    <p class="hint">An end at or before the start runs past midnight into the next day.</p>
    <div class="actions">
      <button type="submit" class="secondary" name="action" value="remove-${i}" formnovalidate>
        Remove window ${i}
      </button>
    </div>
  </fieldset>`;
}

export interface PolicyFormView {
  readonly formToken: string;
  readonly cameraId: string;
  readonly values: FormFields;
  readonly errors: FieldErrors;
  readonly ptzPossible: boolean;
}

export function policyForm(view: PolicyFormView): Markup {
  const { values, errors } = view;
  const n = windowCount(values);
  const mode = values.mode;
  const radio = (value: string, label: string, first = false) =>
    html`<label
      ><input
        type="radio"
        name="mode"
        value="${value}"
        ${first ? html` id="mode"` : ''}${mode === value ? html` checked` : ''}
      />
      ${label}</label
    >`;
  return html`${policyErrorSummary(errors)}
    <form method="post" action="/portal/owners/policy" novalidate>
      <input type="hidden" name="formToken" value="${view.formToken}" />
      <input type="hidden" name="camera" value="${view.cameraId}" />
      <input type="hidden" name="windowCount" value="${n}" />
      <fieldset>
        <legend>What you share</legend>
        <div class="choice">
          ${checkbox('live', 'Live video', values)} ${checkbox('recordings', 'Recordings', values)}
          ${view.ptzPossible ? checkbox('ptz', 'Steering the camera (PTZ)', values) : ''}
        </div>
      </fieldset>
      <fieldset>
        <legend>When you share</legend>
        <div
          class="choice"
          role="radiogroup"
          aria-labelledby="mode-label"
          ${errors.mode ? html` aria-describedby="mode-error"` : ''}
        >
          <p class="hint" id="mode-label">Share</p>
          ${errorLine(errors, 'mode')} ${radio('always', 'At all times', true)}
          ${radio('schedule', 'Only in the weekly windows below')}
          ${radio('alarm', 'Only while I have raised an alarm')}
        </div>
        <div class="choice">
          ${checkbox('alsoDuringAlarm', 'With weekly windows: also while I have raised an alarm', values)}
        </div>
        ${Array.from({ length: n }, (_, i) => windowBlock(i + 1, values, errors))}
        ${errorLine(errors, 'addWindow')}
        ${
          n < 7
            ? html`<div class="actions">
                <button
                  type="submit"
                  class="secondary"
                  id="addWindow"
                  name="action"
                  value="add"
                  formnovalidate
                  ${errors.addWindow ? html` aria-describedby="addWindow-error"` : ''}
                >
                  Add a weekly window
                </button>
              </div>`
            : ''
        }
      </fieldset>
      <fieldset>
        <legend>Between dates (optional)</legend>
        <div class="pair">
          <div>
            <label for="validFrom">First day</label>
            ${errorLine(errors, 'validFrom')}
            <input
              id="validFrom"
              name="validFrom"
              type="date"
              value="${values.validFrom ?? ''}"
              ${invalid(errors, 'validFrom')}
            />
          </div>
          <div>
            <label for="validUntil">Last day</label>
            ${errorLine(errors, 'validUntil')}
            <input
              id="validUntil"
              name="validUntil"
              type="date"
              value="${values.validUntil ?? ''}"
              ${invalid(errors, 'validUntil')}
            />
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Stop sharing</legend>
        <div class="choice">
          ${checkbox('withdrawn', 'Share nothing from this camera until I change this', values)}
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" name="action" value="save">Save: applies at once</button>
      </div>
    </form>`;
}
