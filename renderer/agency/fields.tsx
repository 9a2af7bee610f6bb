import { useEffect, useState, type ReactNode } from 'react';
import type { FieldErrors } from './agencyDraft';

/** A copy of the value with the field at the path replaced (objects and arrays alike). */
export function setIn(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setIn(copy[head as number], rest, next);
    return copy;
  }
  const obj = (value ?? {}) as Record<string, unknown>;
  const child = setIn(obj[head as string], rest, next);
  if (child === undefined) {
    const { [head as string]: _gone, ...kept } = obj;
    return kept;
  }
  return { ...obj, [head as string]: child };
}

/** What a section's form is given: its draft, how to change a field, and the messages. */
export interface FormProps<T> {
  readonly value: T;
  readonly set: (path: readonly (string | number)[], next: unknown) => void;
  readonly errors: FieldErrors;
}

export function FieldError({ errors, path }: { errors: FieldErrors; path: string }) {
  const message = errors[path];
  return message ? (
    <span className="error-text" role="alert" data-testid={`agency-error-${path}`}>
      {message}
    </span>
  ) : null;
}

function Field({
  id,
  label,
  path,
  errors,
  hint,
  children,
}: {
  id: string;
  label: string;
  path: string;
  errors: FieldErrors;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="hint">{hint}</span>}
      <FieldError errors={errors} path={path} />
    </div>
  );
}

const idOf = (path: string) => `agency-${path.replace(/\./g, '-')}`;

export function TextField(props: {
  label: string;
  path: string;
  value: string | undefined;
  onChange: (v: string) => void;
  errors: FieldErrors;
  hint?: ReactNode;
  multiline?: boolean;
}) {
  const id = idOf(props.path);
  const common = {
    id,
    value: props.value ?? '',
    'aria-invalid': !!props.errors[props.path],
    'data-testid': id,
  };
  return (
    <Field id={id} label={props.label} path={props.path} errors={props.errors} hint={props.hint}>
      {props.multiline ? (
        <textarea rows={3} {...common} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}

/**
 * A number as typed: an empty or unreadable field is kept as text so that the schema, not the
 * form, says what is wrong with it.
 */
export function NumberField(props: {
  label: string;
  path: string;
  value: unknown;
  onChange: (v: unknown) => void;
  errors: FieldErrors;
  hint?: ReactNode;
  step?: number;
}) {
  const id = idOf(props.path);
  return (
    <Field id={id} label={props.label} path={props.path} errors={props.errors} hint={props.hint}>
      <input
        id={id}
        type="number"
        step={props.step ?? 1}
        value={
          typeof props.value === 'number' || typeof props.value === 'string' ? props.value : ''
        }
        aria-invalid={!!props.errors[props.path]}
        data-testid={id}
        onChange={(e) => {
          const text = e.target.value;
          const n = Number(text);
          props.onChange(text.trim() !== '' && Number.isFinite(n) ? n : text);
        }}
      />
    </Field>
  );
}

/** A list of words or codes, typed comma-separated. */
export function ListField(props: {
  label: string;
  path: string;
  value: readonly unknown[] | undefined;
  onChange: (v: unknown[]) => void;
  errors: FieldErrors;
  hint?: ReactNode;
  numbers?: boolean;
}) {
  const id = idOf(props.path);
  const parse = (text: string): unknown[] => {
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return props.numbers ? items.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s)) : items;
  };
  const listed = (props.value ?? []).join(', ');
  // The text as typed ("1, 2," mid-word), until the value changes from elsewhere (undo, reload).
  const [text, setText] = useState(listed);
  useEffect(() => {
    setText((current) =>
      JSON.stringify(parse(current)) === JSON.stringify(props.value ?? []) ? current : listed,
    );
  }, [listed]);
  // The first item's message stands for the list's.
  const itemError = Object.keys(props.errors).find((k) => k.startsWith(`${props.path}.`));
  const errors = itemError
    ? { ...props.errors, [props.path]: props.errors[itemError]! }
    : props.errors;
  return (
    <Field id={id} label={props.label} path={props.path} errors={errors} hint={props.hint}>
      <input
        id={id}
        value={text}
        aria-invalid={!!errors[props.path]}
        data-testid={id}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(parse(e.target.value));
        }}
      />
    </Field>
  );
}

export function CheckField(props: {
  label: string;
  path: string;
  value: boolean | undefined;
  onChange: (v: boolean) => void;
  errors: FieldErrors;
}) {
  return (
    <label className="check-field">
      <input
        type="checkbox"
        checked={props.value ?? false}
        data-testid={idOf(props.path)}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      {props.label}
      <FieldError errors={props.errors} path={props.path} />
    </label>
  );
}

/** One of a few choices, shown as checkboxes, kept in the order given. */
export function ChoiceList<T extends string | number>(props: {
  label: string;
  path: string;
  choices: readonly T[];
  value: readonly T[] | undefined;
  onChange: (v: T[]) => void;
  errors: FieldErrors;
  labelOf?: (c: T) => string;
}) {
  const chosen = props.value ?? [];
  return (
    <fieldset className="choice-list">
      <legend>{props.label}</legend>
      {props.choices.map((c) => (
        <label key={String(c)}>
          <input
            type="checkbox"
            checked={chosen.includes(c)}
            onChange={(e) =>
              props.onChange(
                e.target.checked
                  ? props.choices.filter((x) => x === c || chosen.includes(x))
                  : chosen.filter((x) => x !== c),
              )
            }
          />
          {props.labelOf ? props.labelOf(c) : String(c)}
        </label>
      ))}
      <FieldError errors={props.errors} path={props.path} />
    </fieldset>
  );
}
