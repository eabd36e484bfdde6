// The seller's store profile on /sell, edited field by field in Radix popovers
// (focus moves into the editor on open and back to its button on close).
// Saves are optimistic: the new value shows at once and is rolled back, with
// the server's message beside the field, if PATCH /api/stores/me refuses it.
import { useRef, useState, type FormEvent } from 'react';
import { Popover } from 'radix-ui';
import { callApi, fieldErrors } from '../../lib/shared/api-client.ts';

export interface StoreValues {
  storeName: string;
  handle: string;
  description: string;
  location: string;
  phone: string;
}

type Field = keyof StoreValues;

interface Props {
  initial: StoreValues;
  neighbourhoods: readonly string[];
  counties: readonly string[];
}

const FIELDS: { name: Field; label: string; hint?: string }[] = [
  { name: 'storeName', label: 'Store name' },
  { name: 'handle', label: 'Store address', hint: 'Lower-case letters, digits and dashes: soko.africa/s/your-handle' },
  { name: 'description', label: 'Description', hint: 'Plain text; line breaks are kept. Up to 2,000 characters.' },
  { name: 'location', label: 'Location' },
  { name: 'phone', label: 'Contact phone', hint: 'A Kenyan mobile number, e.g. 0712 345 678' },
];

type StoreResponse = { store: { [K in Field]: string | null } };

export default function StoreEditor({ initial, neighbourhoods, counties }: Props) {
  const [values, setValues] = useState<StoreValues>(initial);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [open, setOpen] = useState<Field | null>(null);
  const [saving, setSaving] = useState<Field | null>(null);
  const [status, setStatus] = useState('');

  async function save(field: Field, raw: string) {
    const previous = values[field];
    setOpen(null);
    if (raw === previous) return;
    // Optimistic: show the new value now, roll back below if the server refuses it.
    setValues((v) => ({ ...v, [field]: raw }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    setSaving(field);
    setStatus(`Saving ${labelOf(field).toLowerCase()}…`);
    const res = await callApi<StoreResponse>('PATCH', '/api/stores/me', { [field]: raw });
    setSaving(null);
    if (res.ok) {
      // The server's normalized value (trimmed, lower-cased handle, formatted phone).
      setValues((v) => ({ ...v, [field]: res.data.store[field] ?? '' }));
      setStatus(`${labelOf(field)} saved.`);
      return;
    }
    setValues((v) => ({ ...v, [field]: previous }));
    // Zod issues name the field ('must be at least 3 characters'); a taken handle is a 409 with a full sentence.
    const issue = fieldErrors(res.error)[field];
    setErrors((e) => ({ ...e, [field]: issue ? `${labelOf(field)} ${issue}` : res.error.message }));
    setStatus(`${labelOf(field)} was not saved.`);
  }

  return (
    <section className="store-editor" aria-labelledby="store-editor-h" data-testid="store-editor">
      <div className="store-editor-head">
        <h2 id="store-editor-h">Store profile</h2>
        {values.handle && (
          <a href={`/s/${values.handle}`} data-testid="public-store-link">
            View your public store page
          </a>
        )}
      </div>
      <dl className="store-fields">
        {FIELDS.map((f) => (
          <div className="store-field" key={f.name} data-field={f.name}>
            <dt id={`store-${f.name}-label`}>{f.label}</dt>
            <dd>
              <span className={`store-value${saving === f.name ? ' is-saving' : ''}`} data-testid={`store-${f.name}`}>
                {values[f.name] ? (
                  f.name === 'description' ? (
                    values[f.name].split('\n').map((line, i) => (
                      <span key={i} className="store-line">
                        {line}
                      </span>
                    ))
                  ) : (
                    values[f.name]
                  )
                ) : (
                  <span className="muted">Not set</span>
                )}
              </span>
              <Popover.Root open={open === f.name} onOpenChange={(o) => setOpen(o ? f.name : null)}>
                <Popover.Trigger className="btn btn-small btn-quiet" aria-describedby={`store-${f.name}-label`}>
                  Edit<span className="sr-only"> {f.label.toLowerCase()}</span>
                </Popover.Trigger>
                <Popover.Portal>
                  <Popover.Content
                    className="store-popover"
                    side="bottom"
                    align="start"
                    sideOffset={6}
                    collisionPadding={12}
                    aria-label={`Edit ${f.label.toLowerCase()}`}
                  >
                    <FieldForm
                      field={f.name}
                      label={f.label}
                      hint={f.hint}
                      value={values[f.name]}
                      error={errors[f.name]}
                      neighbourhoods={neighbourhoods}
                      counties={counties}
                      onSave={(v) => void save(f.name, v)}
                    />
                    <Popover.Arrow className="store-popover-arrow" />
                  </Popover.Content>
                </Popover.Portal>
              </Popover.Root>
              {errors[f.name] && (
                <p
                  className="field-error"
                  id={`store-${f.name}-error`}
                  role="alert"
                  data-testid={`store-${f.name}-error`}
                >
                  {errors[f.name]}
                </p>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <p className="sr-only" role="status" aria-live="polite" data-testid="store-status">
        {status}
      </p>
    </section>
  );
}

function labelOf(field: Field): string {
  return FIELDS.find((f) => f.name === field)!.label;
}

function FieldForm(props: {
  field: Field;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  neighbourhoods: readonly string[];
  counties: readonly string[];
  onSave: (value: string) => void;
}) {
  const { field, label, hint, value, error, onSave } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const id = `store-edit-${field}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field,
    defaultValue: value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSave(String(new FormData(e.currentTarget).get(field) ?? ''));
  }

  return (
    <form ref={formRef} className="store-popover-form" onSubmit={submit} noValidate>
      <label htmlFor={id}>{label}</label>
      {field === 'description' ? (
        <textarea
          {...common}
          rows={6}
          maxLength={2000}
          // Ctrl/Cmd+Enter saves from the keyboard; Enter alone is a new line.
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              formRef.current?.requestSubmit();
            }
          }}
        />
      ) : field === 'location' ? (
        <select {...common}>
          <option value="" disabled>
            Choose a location
          </option>
          <optgroup label="Nairobi neighbourhoods">
            {props.neighbourhoods.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </optgroup>
          <optgroup label="Kenyan counties">
            {props.counties.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </optgroup>
        </select>
      ) : (
        <input
          {...common}
          type={field === 'phone' ? 'tel' : 'text'}
          autoComplete={field === 'phone' ? 'tel' : 'off'}
          spellCheck={field === 'handle' ? false : undefined}
        />
      )}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div className="store-popover-actions">
        <button className="btn btn-small" type="submit">
          Save
        </button>
        <Popover.Close className="btn btn-small btn-quiet" type="button">
          Cancel
        </Popover.Close>
      </div>
    </form>
  );
}
