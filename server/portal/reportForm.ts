import type { z } from 'zod';
import type { AgencyConfig } from '../../shared/domain/agency';
import { CaseNumberSchema } from '../../shared/domain/cases';
import {
  ELIGIBILITY_QUESTIONS,
  OnlineReportInputSchema,
  ageOn,
  type EligibilityAnswers,
  type EligibilityQuestion,
  type OnlineReportInput,
} from '../../shared/domain/onlineReports';
import { formatIsoDate, instantOf, localDateOf } from '../../shared/time/zonedTime';
import type {
  LocationRefusal,
  Located,
  ReportLocation,
  ReportPlace,
} from '../onlineReports/reportLocation';
import { html, type Markup } from './html';
import { addressFinder, pinMap } from './registrationMap';
import { errorSummary, type Checked, type FieldErrors, type FormFields } from './registrationForm';

/**
 * The online report's two forms (docs/online-reports.md): the eligibility questions, asked
 * before the report form opens and carried in it so that the server asks them again; and the
 * report itself, checked with the schema in shared/domain/onlineReports.ts plus the rules that
 * need the agency (its categories, its boundary, its time zone, the reporter's age).
 */

/** The questions in the reporter's words; the answer that allows an online report is in the domain. */
export function questionText(agency: AgencyConfig, q: EligibilityQuestion): string {
  switch (q) {
    case 'emergency':
      return 'Is this an emergency, or is it still happening?';
    case 'inCity':
      return `Did it happen within ${agency.shortName}'s city limits?`;
    case 'adult':
      return `Are you ${agency.onlineReports.minimumAge} or older?`;
    case 'english':
      return 'Will you write the report in English?';
    case 'injuries':
      return 'Was anyone injured?';
    case 'weapons':
      return 'Was a weapon involved?';
    case 'firearm':
      return 'Is it about a lost or stolen firearm?';
    case 'email':
      return 'Do you have an email address where we can reach you?';
  }
}

/** What a reporter is told when an answer rules out an online report. */
export function refusalOf(agency: AgencyConfig, q: EligibilityQuestion): string[] {
  const help = agency.onlineReports.officerHelp;
  switch (q) {
    case 'emergency':
      return [
        'Call 911 now. An emergency, or something still happening, cannot be reported online.',
      ];
    case 'firearm':
      return [
        agency.onlineReports.firearmsPhone
          ? `A lost or stolen firearm cannot be reported online. Please call ${agency.onlineReports.firearmsPhone}.`
          : 'A lost or stolen firearm cannot be reported online.',
        ...(agency.onlineReports.firearmsPhone ? [] : [help]),
      ];
    case 'inCity':
      return [
        `Only what happened within ${agency.shortName}'s city limits can be reported here.`,
        help,
      ];
    case 'adult':
      return [
        `Online reports are taken from people ${agency.onlineReports.minimumAge} or older.`,
        help,
      ];
    case 'english':
      return ['Online reports are taken in English.', help];
    case 'injuries':
    case 'weapons':
      return [
        'A report in which someone was injured or a weapon was involved is taken by an officer.',
        help,
      ];
    case 'email':
      return [
        'An online report needs an email address: it is how we send your copy and your case number.',
        help,
      ];
  }
}

const answerField = (q: EligibilityQuestion) => `elig_${q}`;

export function answersOf(fields: FormFields): EligibilityAnswers {
  return Object.fromEntries(ELIGIBILITY_QUESTIONS.map((q) => [q, fields[answerField(q)] ?? '']));
}

/** The questions as radio pairs, with a message by each left unanswered. */
export function eligibilityForm(
  agency: AgencyConfig,
  formToken: string,
  values: FormFields,
  errors: FieldErrors,
): Markup {
  return html`${errorSummary(errors)}
    <form method="post" action="/portal/reports/eligibility" novalidate>
      <input type="hidden" name="formToken" value="${formToken}" />
      ${ELIGIBILITY_QUESTIONS.map((q) => {
        const name = answerField(q);
        const error = errors[name];
        return html`<fieldset${error ? html` aria-describedby="${name}-error"` : ''}>
          <legend>${questionText(agency, q)}</legend>
          ${error ? html`<p class="error" id="${name}-error">Error: ${error}</p>` : ''}
          <div class="choice">
            <label
              ><input type="radio" id="${name}" name="${name}" value="yes" ${values[name] === 'yes' ? html` checked` : ''} />
              Yes</label
            >
            <label
              ><input type="radio" name="${name}" value="no" ${values[name] === 'no' ? html` checked` : ''} />
              No</label
            >
          </div>
        </fieldset>`;
      })}
      <div class="actions"><button type="submit">Continue</button></div>
    </form>`;
}

/** The questions left unanswered, as field errors. */
export function unanswered(fields: FormFields): FieldErrors {
  const errors: Record<string, string> = {};
  for (const q of ELIGIBILITY_QUESTIONS) {
    const a = fields[answerField(q)];
    if (a !== 'yes' && a !== 'no') errors[answerField(q)] = 'Answer yes or no';
  }
  return errors;
}

// ----------------------------------------------------------------------------------------------
// The report.

const text = (fields: FormFields, name: string): string | undefined => {
  const v = (fields[name] ?? '').trim();
  return v === '' ? undefined : v;
};

function numberOrText(t: string | undefined): number | string | undefined {
  if (t === undefined) return undefined;
  return /^[-+]?\d{1,4}(\.\d{1,15})?$/.test(t) ? Number(t) : t;
}

/** A `datetime-local` value in the agency's zone as an ISO instant, or the text as typed. */
function instantText(t: string | undefined, timeZone: string): string | undefined {
  if (t === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(t);
  if (!m) return t;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as number[];
  const at = instantOf(
    { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 },
    timeZone,
  );
  return Number.isFinite(at) ? new Date(at).toISOString() : t;
}

const SCHEMA_TO_FIELD: Readonly<Record<string, string>> = {
  'reporter.name': 'name',
  'reporter.dateOfBirth': 'dob',
  'reporter.email': 'email',
  'reporter.phone': 'phone',
  'reporter.address': 'homeAddress',
};

function errorsOf(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    const field = SCHEMA_TO_FIELD[path] ?? String(issue.path[0] ?? 'form');
    let message = issue.message;
    if (field === 'lat') message = 'enter the latitude in degrees, e.g. 36.0999';
    if (field === 'lng') message = 'enter the longitude in degrees, e.g. -80.2442';
    if (field === 'occurredAt' || field === 'occurredUntil') message = 'enter a date and time';
    errors[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return errors;
}

/** What the reporter is told when the place given cannot be taken, by the field to change. */
export function locationErrors(agency: AgencyConfig, refusal: LocationRefusal): FieldErrors {
  switch (refusal) {
    case 'outside_coordinates':
      return {
        lat: `This place is outside ${agency.shortName}'s city limits: check the two numbers (not swapped?). What happened outside the city cannot be reported here.`,
      };
    case 'outside_address':
      return {
        address: `This address is outside ${agency.shortName}'s city limits. What happened outside the city cannot be reported here.`,
      };
    case 'unknown_address':
      return {
        address: `We could not find this address in ${agency.shortName}. Check it, or choose one of the addresses suggested as you type, or mark the spot on the map, or give its latitude and longitude.`,
      };
  }
}

/** A report as the form gave it, and where it is kept as having happened. */
export interface CheckedReport {
  readonly input: OnlineReportInput;
  readonly location: ReportLocation;
}

/**
 * The report a form describes, checked: the schema first, then the agency's rules. `now` is the
 * server's clock (the reporter's age, a time in the future); `locate` places the report and
 * checks it against the city limits (server/onlineReports/reportLocation.ts).
 */
export async function checkReport(
  agency: AgencyConfig,
  fields: FormFields,
  now: number,
  locate: (place: ReportPlace) => Promise<Located>,
): Promise<Checked<CheckedReport>> {
  const raw = {
    category: text(fields, 'category'),
    ...(text(fields, 'caseNumber') ? { caseNumber: text(fields, 'caseNumber') } : {}),
    occurredAt: instantText(text(fields, 'occurredAt'), agency.timeZone),
    ...(text(fields, 'occurredUntil')
      ? { occurredUntil: instantText(text(fields, 'occurredUntil'), agency.timeZone) }
      : {}),
    ...(text(fields, 'lat') !== undefined ? { lat: numberOrText(text(fields, 'lat')) } : {}),
    ...(text(fields, 'lng') !== undefined ? { lng: numberOrText(text(fields, 'lng')) } : {}),
    ...(text(fields, 'address') ? { address: text(fields, 'address') } : {}),
    narrative: fields.narrative ?? '',
    ...(text(fields, 'suspect') ? { suspect: text(fields, 'suspect') } : {}),
    ...(text(fields, 'property') ? { property: text(fields, 'property') } : {}),
    ...(text(fields, 'vehicle') ? { vehicle: text(fields, 'vehicle') } : {}),
    reporter: {
      name: fields.name ?? '',
      dateOfBirth: (fields.dob ?? '').trim(),
      email: (fields.email ?? '').trim(),
      ...(text(fields, 'phone') ? { phone: text(fields, 'phone') } : {}),
      ...(text(fields, 'homeAddress') ? { address: text(fields, 'homeAddress') } : {}),
    },
    acknowledged: fields.acknowledged === 'yes' ? true : undefined,
  };
  const parsed = OnlineReportInputSchema.safeParse(raw);
  const errors: Record<string, string> = parsed.success ? {} : errorsOf(parsed.error.issues);
  const category = agency.onlineReports.categories.find((c) => c.key === raw.category);
  if (raw.category !== undefined && !category) errors.category ??= 'Choose one of the listed kinds';
  if (category?.asks.includes('caseNumber')) {
    if (!CaseNumberSchema.safeParse(raw.caseNumber ?? '').success) {
      errors.caseNumber ??= 'Enter the case number this report adds to';
    }
  }
  if (category?.asks.includes('property') && !raw.property) {
    errors.property ??= 'Describe the property: what it is, its make, serial number and value';
  }
  if (category?.asks.includes('vehicle') && !raw.vehicle) {
    errors.vehicle ??= 'Describe the vehicle: make, model, colour and plate';
  }
  const hasLat = raw.lat !== undefined;
  const hasLng = raw.lng !== undefined;
  if (!raw.address && !hasLat && !hasLng) {
    errors.address ??= 'Enter the address, or the latitude and longitude, of where it happened';
  } else if (hasLat !== hasLng) {
    errors[hasLat ? 'lng' : 'lat'] ??= 'Enter both the latitude and the longitude, or neither';
  }
  let location: ReportLocation | null = null;
  if (parsed.success) {
    const r = parsed.data;
    if (!errors.lat && !errors.lng && !errors.address) {
      const located = await locate({ lat: r.lat, lng: r.lng, address: r.address });
      if (located.ok) location = located.location;
      else Object.assign(errors, locationErrors(agency, located.refusal));
    }
    if (Date.parse(r.occurredAt) > now + 5 * 60_000)
      errors.occurredAt = 'This time is in the future';
    if (r.occurredUntil && Date.parse(r.occurredUntil) < Date.parse(r.occurredAt)) {
      errors.occurredUntil = 'The end is before the start';
    }
    const today = formatIsoDate(localDateOf(now, agency.timeZone));
    if (ageOn(r.reporter.dateOfBirth, today) < agency.onlineReports.minimumAge) {
      errors.dob = `Online reports are taken from people ${agency.onlineReports.minimumAge} or older`;
    }
  }
  return Object.keys(errors).length > 0 || !parsed.success || location === null
    ? { ok: false, errors }
    : { ok: true, value: { input: parsed.data, location } };
}

// ----------------------------------------------------------------------------------------------
// Rendering.

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'tel' | 'date' | 'datetime-local';
  readonly autocomplete?: string;
  readonly inputmode?: 'decimal';
  readonly maxlength?: number;
  readonly rows?: number;
}

function field(p: FieldProps, values: FormFields, errors: FieldErrors): Markup {
  const error = errors[p.name];
  const ids = [p.hint ? `${p.name}-hint` : '', error ? `${p.name}-error` : ''].filter(Boolean);
  const aria = html`${error ? html` aria-invalid="true"` : ''}${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}`;
  return html`<div>
    <label for="${p.name}">${p.label}</label>
    ${p.hint ? html`<p class="hint" id="${p.name}-hint">${p.hint}</p>` : ''}
    ${error ? html`<p class="error" id="${p.name}-error">Error: ${error}</p>` : ''}
    ${
      p.rows
        ? html`<textarea
            id="${p.name}"
            name="${p.name}"
            rows="${p.rows}"
            ${p.maxlength ? html` maxlength="${p.maxlength}"` : ''}${aria}
          >
${values[p.name] ?? ''}</textarea>`
        : html`<input
            id="${p.name}"
            name="${p.name}"
            type="${p.type ?? 'text'}"
            value="${values[p.name] ?? ''}"
            ${p.autocomplete ? html` autocomplete="${p.autocomplete}"` : ''}${p.inputmode ? html` inputmode="${p.inputmode}"` : ''}${p.maxlength ? html` maxlength="${p.maxlength}"` : ''}${aria}
          />`
    }
  </div>`;
}

/** The fields the report form's map pin and address search fill in. */
const REPORT_LOCATION = { lat: 'lat', lng: 'lng', address: 'address' } as const;

export interface ReportFormView {
  readonly formToken: string;
  readonly values: FormFields;
  readonly errors: FieldErrors;
}

export function reportForm(agency: AgencyConfig, view: ReportFormView): Markup {
  const { values, errors } = view;
  const categories = agency.onlineReports.categories;
  const catError = errors.category;
  const ackError = errors.acknowledged;
  const filesError = errors.files;
  const asks = (d: 'property' | 'vehicle' | 'caseNumber') =>
    categories.filter((c) => c.asks.includes(d)).map((c) => c.label);
  return html`${errorSummary(errors)}
    <form method="post" action="/portal/reports/new" enctype="multipart/form-data" novalidate>
      <input type="hidden" name="formToken" value="${view.formToken}" />
      ${ELIGIBILITY_QUESTIONS.map(
        (q) =>
          html`<input
            type="hidden"
            name="${answerField(q)}"
            value="${values[answerField(q)] ?? ''}"
          />`,
      )}
      <fieldset>
        <legend>What happened</legend>
        <div>
          <label for="category">Kind of report</label>
          ${catError ? html`<p class="error" id="category-error">Error: ${catError}</p>` : ''}
          <select
            id="category"
            name="category"
            ${catError ? html` aria-invalid="true" aria-describedby="category-error"` : ''}
          >
            <option value="">Choose the kind of report</option>
            ${categories.map(
              (c) =>
                html`<option value="${c.key}" ${values.category === c.key ? html` selected` : ''}>
                  ${c.label}
                </option>`,
            )}
          </select>
        </div>
        ${field({ name: 'caseNumber', label: 'Case number this report adds to', hint: `Only for: ${asks('caseNumber').join('; ') || 'none'}.`, maxlength: 64 }, values, errors)}
        ${field({ name: 'occurredAt', label: 'When it happened (or the earliest it could have)', type: 'datetime-local', hint: `In ${agency.shortName}'s local time.` }, values, errors)}
        ${field({ name: 'occurredUntil', label: 'The latest it could have happened (optional)', type: 'datetime-local' }, values, errors)}
      </fieldset>
      <fieldset>
        <legend>Where it happened</legend>
        ${field({ name: 'address', label: 'Street address or place', autocomplete: 'off', maxlength: 300, hint: 'Or give the latitude and longitude below (in a map app, press and hold on the spot).' }, values, errors)}
        <div class="pair">
          ${field({ name: 'lat', label: 'Latitude (optional)', inputmode: 'decimal', maxlength: 24 }, values, errors)}
          ${field({ name: 'lng', label: 'Longitude (optional)', inputmode: 'decimal', maxlength: 24 }, values, errors)}
        </div>
        ${addressFinder('find', REPORT_LOCATION)}
        ${pinMap(REPORT_LOCATION, 'Map of the area: click or tap where it happened to fill in the latitude and longitude above, which you can also type')}
      </fieldset>
      <fieldset>
        <legend>Your account</legend>
        ${field({ name: 'narrative', label: 'What happened', rows: 8, maxlength: 8000, hint: 'In your own words, in the order it happened.' }, values, errors)}
        ${field({ name: 'suspect', label: 'Suspect (if you know anything)', rows: 4, maxlength: 2000, hint: 'As much as you know: name, date of birth, physical description, clothing worn, address and contact number.' }, values, errors)}
        ${field({ name: 'property', label: 'Property', rows: 3, maxlength: 2000, hint: `What was taken, lost or damaged: make, model, serial number, value. Needed for: ${asks('property').join('; ')}.` }, values, errors)}
        ${field({ name: 'vehicle', label: 'Vehicle', rows: 3, maxlength: 1000, hint: `Make, model, colour, year and plate. Needed for: ${asks('vehicle').join('; ')}.` }, values, errors)}
        <div>
          <label for="files">Photos or documents (optional)</label>
          <p class="hint" id="files-hint">
            Up to 3 files: JPEG or PNG photos, or PDF documents, at most 4 MB each.
          </p>
          ${filesError ? html`<p class="error" id="files-error">Error: ${filesError}</p>` : ''}
          <input
            id="files"
            name="files"
            type="file"
            multiple
            accept="image/jpeg,image/png,application/pdf"
            aria-describedby="files-hint${filesError ? ' files-error' : ''}"
            ${filesError ? html` aria-invalid="true"` : ''}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>About you</legend>
        ${field({ name: 'name', label: 'Your full name', autocomplete: 'name', maxlength: 200 }, values, errors)}
        ${field({ name: 'dob', label: 'Your date of birth', type: 'date', autocomplete: 'bday' }, values, errors)}
        ${field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'email', maxlength: 254, hint: 'Your copy, your temporary number and every answer go here.' }, values, errors)}
        ${field({ name: 'phone', label: 'Phone (optional)', type: 'tel', autocomplete: 'tel', maxlength: 40 }, values, errors)}
        ${field({ name: 'homeAddress', label: 'Your address (optional)', autocomplete: 'street-address', maxlength: 300 }, values, errors)}
      </fieldset>
      <div class="choice">
        ${ackError ? html`<p class="error" id="acknowledged-error">Error: ${ackError}</p>` : ''}
        <label
          ><input
            type="checkbox"
            id="acknowledged"
            name="acknowledged"
            value="yes"
            ${values.acknowledged === 'yes' ? html` checked` : ''}${ackError ? html` aria-invalid="true" aria-describedby="acknowledged-error"` : ''}
          />
          This report is true. ${agency.portal.falseReportNotice}</label
        >
      </div>
      <div class="trap" aria-hidden="true">
        <label for="website">Leave this field empty</label>
        <input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off" />
      </div>
      <div class="actions"><button type="submit">Send my report</button></div>
    </form>`;
}
