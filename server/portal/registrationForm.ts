import type { z } from 'zod';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { FACINGS } from '../../shared/domain/portal';
import {
  CameraRegistrationSchema,
  MAX_REGISTERED_CAMERAS,
  RegistrationUpdateSchema,
  type CameraRegistration,
  type RegisteredCameraInput,
  type RegistrationUpdate,
} from '../../shared/domain/portal';
import { withinPolygonBuffer } from '../../shared/geo';
import { html, type Markup } from './html';
import { addressFinder, pinMap } from './registrationMap';

/**
 * The camera registration form: its fields as posted (text), the registration they make (checked
 * with the schemas in shared/domain/portal.ts, as anything else that registers a camera), and the
 * form rendered again with what was typed and a message by each field that is wrong.
 */

/** The posted form: every value as typed. */
export type FormFields = Readonly<Record<string, string>>;
/** Field name to message. */
export type FieldErrors = Readonly<Record<string, string>>;

const CAMERA_FIELDS = ['lat', 'lng', 'address', 'facing', 'covers', 'retention'] as const;
type CameraField = (typeof CAMERA_FIELDS)[number];
const cameraField = (i: number, f: CameraField) => `c${i}_${f}`;

/** How many camera blocks the form has (1 to the maximum), as the form says. */
export function cameraCount(fields: FormFields): number {
  const n = Number(fields.cameraCount);
  return Number.isInteger(n) ? Math.min(Math.max(n, 1), MAX_REGISTERED_CAMERAS) : 1;
}

/** A decimal as typed, or the text itself (so that the schema says what is wrong with it). */
function numberOrText(text: string | undefined): number | string | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  return /^[-+]?\d{1,4}(\.\d{1,15})?$/.test(t) ? Number(t) : t;
}

function cameraOf(fields: FormFields, i: number): Record<string, unknown> {
  const text = (f: CameraField) => {
    const v = (fields[cameraField(i, f)] ?? '').trim();
    return v === '' ? undefined : v;
  };
  return {
    lat: numberOrText(fields[cameraField(i, 'lat')]),
    lng: numberOrText(fields[cameraField(i, 'lng')]),
    ...(text('address') === undefined ? {} : { address: text('address') }),
    facing: text('facing'),
    covers: text('covers') ?? '',
    retentionDays: numberOrText(fields[cameraField(i, 'retention')]),
  };
}

/** The registration the form describes, before checking. */
export function registrationOf(fields: FormFields, withEmail: boolean): Record<string, unknown> {
  const cameras = Array.from({ length: cameraCount(fields) }, (_, i) => cameraOf(fields, i + 1));
  return {
    ownerKind: fields.ownerKind || undefined,
    name: fields.name ?? '',
    ...(withEmail ? { email: (fields.email ?? '').trim() } : {}),
    phone: fields.phone ?? '',
    cameras,
  };
}

/** Clearer words than a schema's for numbers typed as something else. */
const NUMBER_MESSAGES: Partial<Record<CameraField, string>> = {
  lat: 'enter the latitude in degrees, from -90 to 90, e.g. 36.0999',
  lng: 'enter the longitude in degrees, from -180 to 180, e.g. -80.2442',
  retention: 'enter how many days of footage the camera keeps, e.g. 30',
};
const SCHEMA_TO_FIELD: Readonly<Record<string, CameraField>> = {
  lat: 'lat',
  lng: 'lng',
  address: 'address',
  facing: 'facing',
  covers: 'covers',
  retentionDays: 'retention',
};

function errorsOf(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [top, index, inner] = issue.path;
    let field: string;
    let message = issue.message;
    if (top === 'cameras' && typeof index === 'number' && typeof inner === 'string') {
      const f = SCHEMA_TO_FIELD[inner] ?? 'covers';
      field = cameraField(index + 1, f);
      const better = NUMBER_MESSAGES[f];
      if (better && (f !== 'retention' || issue.code === 'invalid_type')) message = better;
    } else if (top === 'cameras') {
      field = 'cameraCount';
    } else {
      field = String(top ?? 'form');
    }
    errors[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return errors;
}

/** Cameras outside the agency's area (and its buffer) are not the agency's to register. */
function outsideErrors(
  agency: AgencyConfig,
  cameras: readonly RegisteredCameraInput[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  cameras.forEach((c, i) => {
    if (!withinPolygonBuffer(c, agency.jurisdiction, agency.incidents.jurisdictionBufferM)) {
      errors[cameraField(i + 1, 'lat')] =
        `This location is outside ${agency.shortName}'s area: check the latitude and the longitude (not swapped?).`;
    }
  });
  return errors;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export function checkRegistration(
  agency: AgencyConfig,
  fields: FormFields,
): Checked<CameraRegistration> {
  const parsed = CameraRegistrationSchema.safeParse(registrationOf(fields, true));
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error.issues) };
  const outside = outsideErrors(agency, parsed.data.cameras);
  return Object.keys(outside).length > 0
    ? { ok: false, errors: outside }
    : { ok: true, value: parsed.data };
}

export function checkUpdate(agency: AgencyConfig, fields: FormFields): Checked<RegistrationUpdate> {
  const parsed = RegistrationUpdateSchema.safeParse(registrationOf(fields, false));
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error.issues) };
  const outside = outsideErrors(agency, parsed.data.cameras);
  return Object.keys(outside).length > 0
    ? { ok: false, errors: outside }
    : { ok: true, value: parsed.data };
}

/** The form's fields for a registration already on file (the owner's manage page). */
export function fieldsOf(r: CameraRegistration): Record<string, string> {
  const out: Record<string, string> = {
    ownerKind: r.ownerKind,
    name: r.name,
    email: r.email,
    phone: r.phone,
    cameraCount: String(r.cameras.length),
  };
  r.cameras.forEach((c, i) => {
    out[cameraField(i + 1, 'lat')] = String(c.lat);
    out[cameraField(i + 1, 'lng')] = String(c.lng);
    out[cameraField(i + 1, 'address')] = c.address ?? '';
    out[cameraField(i + 1, 'facing')] = c.facing;
    out[cameraField(i + 1, 'covers')] = c.covers;
    out[cameraField(i + 1, 'retention')] = String(c.retentionDays);
  });
  return out;
}

/**
 * The fields with camera `remove` taken out (the later ones move up) or one added at the end:
 * the form's own buttons, which work without a script.
 */
export function reshaped(
  fields: FormFields,
  change: { add: true } | { remove: number },
): Record<string, string> {
  const n = cameraCount(fields);
  const out: Record<string, string> = { ...fields };
  if ('add' in change) {
    out.cameraCount = String(Math.min(n + 1, MAX_REGISTERED_CAMERAS));
    return out;
  }
  if (n <= 1 || change.remove < 1 || change.remove > n) return out;
  for (let i = change.remove; i < n; i++) {
    for (const f of CAMERA_FIELDS) out[cameraField(i, f)] = fields[cameraField(i + 1, f)] ?? '';
  }
  for (const f of CAMERA_FIELDS) delete out[cameraField(n, f)];
  out.cameraCount = String(n - 1);
  return out;
}

// ----------------------------------------------------------------------------------------------
// Rendering

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'tel' | 'number';
  readonly autocomplete?: string;
  readonly inputmode?: 'decimal' | 'numeric';
  readonly required?: boolean;
  readonly maxlength?: number;
}

function describedBy(name: string, hint: boolean, error: boolean): Markup | string {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean);
  return ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : '';
}

function inputField(p: FieldProps, values: FormFields, errors: FieldErrors): Markup {
  const error = errors[p.name];
  return html`<div>
    <label for="${p.name}">${p.label}</label>
    ${p.hint ? html`<p class="hint" id="${p.name}-hint">${p.hint}</p>` : ''}
    ${error ? html`<p class="error" id="${p.name}-error">Error: ${error}</p>` : ''}
    <input
      id="${p.name}"
      name="${p.name}"
      type="${p.type ?? 'text'}"
      value="${values[p.name] ?? ''}"
      ${p.autocomplete ? html` autocomplete="${p.autocomplete}"` : ''}${p.inputmode ? html` inputmode="${p.inputmode}"` : ''}${p.required ? html` required` : ''}${p.maxlength ? html` maxlength="${p.maxlength}"` : ''}${error ? html` aria-invalid="true"` : ''}${describedBy(p.name, !!p.hint, !!error)}
    />
  </div>`;
}

const FACING_WORDS: Readonly<Record<keyof typeof FACINGS, string>> = {
  N: 'North',
  NE: 'North-east',
  E: 'East',
  SE: 'South-east',
  S: 'South',
  SW: 'South-west',
  W: 'West',
  NW: 'North-west',
};

function cameraBlock(i: number, total: number, values: FormFields, errors: FieldErrors): Markup {
  const f = (x: CameraField) => cameraField(i, x);
  const location = { lat: f('lat'), lng: f('lng'), address: f('address') };
  const facingError = errors[f('facing')];
  return html`<fieldset>
    <legend>Camera ${i}</legend>
    <p class="hint">
      Where the camera is. In a map app, press and hold on the spot to see its two numbers, latitude
      and longitude.
    </p>
    <div class="pair">
      ${inputField({ name: f('lat'), label: 'Latitude', inputmode: 'decimal', required: true, maxlength: 24 }, values, errors)}
      ${inputField({ name: f('lng'), label: 'Longitude', inputmode: 'decimal', required: true, maxlength: 24 }, values, errors)}
    </div>
    ${addressFinder(`c${i}_find`, location)}
    ${pinMap(location, `Map of the area for camera ${i}: click or tap where the camera is to fill in the two numbers above, which you can also type`)}
    ${inputField({ name: f('address'), label: 'Street address (optional)', autocomplete: 'street-address', maxlength: 300 }, values, errors)}
    <div>
      <label for="${f('facing')}">Direction it faces</label>
      ${facingError ? html`<p class="error" id="${f('facing')}-error">Error: ${facingError}</p>` : ''}
      <select
        id="${f('facing')}"
        name="${f('facing')}"
        required${facingError ? html` aria-invalid="true" aria-describedby="${f('facing')}-error"` : ''}
      >
        <option value="">Choose a direction</option>
        ${Object.entries(FACING_WORDS).map(
          ([k, word]) =>
            html`<option value="${k}" ${values[f('facing')] === k ? html` selected` : ''}>
              ${word}
            </option>`,
        )}
      </select>
    </div>
    ${inputField({ name: f('covers'), label: 'What it covers', hint: 'For example: the front porch, the driveway and part of the street.', required: true, maxlength: 300 }, values, errors)}
    ${inputField({ name: f('retention'), label: 'Days of footage it keeps', type: 'number', inputmode: 'numeric', hint: 'How far back its recordings go. Not sure? Most doorbells and home systems keep 7 to 30 days.', required: true }, values, errors)}
    ${total > 1 ? html`<div class="actions"><button type="submit" class="secondary" name="action" value="remove-${i}" formnovalidate>Remove camera ${i}</button></div>` : ''}
  </fieldset>`;
}

/**
 * The problems with a refused form, each linking to its field, and what happened to the form
 * (`outcome`). Every portal form shows its problems this way.
 */
export function errorSummary(
  errors: FieldErrors,
  outcome = 'Nothing was sent. Correct the fields marked below and send again.',
): Markup | string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return html`<div class="summary" role="alert" tabindex="-1" id="errors">
    <h2>
      There ${entries.length === 1 ? 'is a problem' : `are ${entries.length} problems`} with what
      you entered
    </h2>
    <ul>
      ${entries.map(([field, message]) => html`<li><a href="#${field}">${message}</a></li>`)}
    </ul>
    <p>${outcome}</p>
  </div>`;
}

export interface RegistrationFormView {
  readonly action: string;
  readonly formToken: string;
  readonly values: FormFields;
  readonly errors: FieldErrors;
  /** The manage page: the email is fixed and the link's token travels with the form. */
  readonly manageToken?: string;
  readonly submitLabel: string;
}

export function registrationForm(view: RegistrationFormView): Markup {
  const { values, errors } = view;
  const n = cameraCount(values);
  const kind = values.ownerKind;
  const kindError = errors.ownerKind;
  return html`${errorSummary(errors)}
    <form method="post" action="${view.action}" novalidate>
      <input type="hidden" name="formToken" value="${view.formToken}" />
      <input type="hidden" name="cameraCount" value="${n}" />
      ${view.manageToken ? html`<input type="hidden" name="token" value="${view.manageToken}" />` : ''}
      <fieldset>
        <legend>About you</legend>
        <div
          class="choice"
          role="radiogroup"
          aria-labelledby="ownerKind-label"
          ${kindError ? html` aria-describedby="ownerKind-error"` : ''}
        >
          <p id="ownerKind-label" class="hint">The cameras belong to</p>
          ${kindError ? html`<p class="error" id="ownerKind-error">Error: ${kindError}</p>` : ''}
          <label
            ><input
              type="radio"
              id="ownerKind"
              name="ownerKind"
              value="person"
              ${kind === 'person' ? html` checked` : ''}
            />
            Me (a resident)</label
          >
          <label
            ><input
              type="radio"
              name="ownerKind"
              value="business"
              ${kind === 'business' ? html` checked` : ''}
            />
            A business</label
          >
        </div>
        ${inputField({ name: 'name', label: 'Your name, or the business name', autocomplete: 'name', required: true, maxlength: 200 }, values, errors)}
        ${
          view.manageToken
            ? html`<p><strong>Email:</strong> ${values.email ?? ''}</p>`
            : inputField(
                {
                  name: 'email',
                  label: 'Email',
                  type: 'email',
                  autocomplete: 'email',
                  hint: 'We send a link to confirm: nothing is registered until you follow it.',
                  required: true,
                  maxlength: 254,
                },
                values,
                errors,
              )
        }
        ${inputField({ name: 'phone', label: 'Phone', type: 'tel', autocomplete: 'tel', hint: 'Used only to ask about footage after a crime nearby.', required: true, maxlength: 40 }, values, errors)}
      </fieldset>
      ${errors.cameraCount ? html`<p class="error" id="cameraCount">Error: ${errors.cameraCount}</p>` : ''}
      ${Array.from({ length: n }, (_, i) => cameraBlock(i + 1, n, values, errors))}
      ${n < MAX_REGISTERED_CAMERAS ? html`<div class="actions"><button type="submit" class="secondary" name="action" value="add" formnovalidate>Add another camera</button></div>` : ''}
      <div class="trap" aria-hidden="true">
        <label for="website">Leave this field empty</label>
        <input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off" />
      </div>
      <div class="actions">
        <button type="submit" name="action" value="submit">${view.submitLabel}</button>
      </div>
    </form>`;
}
