// The seller's store profile on /sell, edited field by field in Radix popovers
// (focus moves into the editor on open and back to its button on close).
// Saves are optimistic: the new value shows at once and is rolled back, with
// the server's message beside the field, if PATCH /api/stores/me refuses it.
// The logo and banner are uploaded (or removed) right away through
// POST/DELETE /api/stores/me/{logo|banner}, with a preview of the stored image.
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Popover } from 'radix-ui';
import { callApi, errorText, fieldErrors, uploadForm } from '../../lib/shared/api-client.ts';
import {
  imageUrl,
  MAX_UPLOAD_BYTES,
  STORE_IMAGE_RULES,
  UPLOAD_ACCEPT,
  type ImageRef,
  type StoreImageKind,
} from '../../lib/shared/images.ts';

export interface StoreValues {
  storeName: string;
  handle: string;
  description: string;
  location: string;
  phone: string;
}

type Field = keyof StoreValues;

/** A stored logo or banner (alt text comes from the store name on the public page). */
export type StoreMedia = Omit<ImageRef, 'alt'>;

interface Props {
  initial: StoreValues;
  media: Record<StoreImageKind, StoreMedia | null>;
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

const MEDIA: { kind: StoreImageKind; label: string }[] = [
  { kind: 'logo', label: 'Logo' },
  { kind: 'banner', label: 'Banner' },
];

export default function StoreEditor({ initial, media: initialMedia, neighbourhoods, counties }: Props) {
  const [values, setValues] = useState<StoreValues>(initial);
  const [media, setMedia] = useState(initialMedia);
  const [mediaErrors, setMediaErrors] = useState<Partial<Record<StoreImageKind, string>>>({});
  const [mediaBusy, setMediaBusy] = useState<StoreImageKind | null>(null);
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

  async function upload(kind: StoreImageKind, label: string, input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setMediaErrors((e) => ({ ...e, [kind]: undefined }));
    // Cheap checks first; the server decides for real (magic bytes, pixel size, limits).
    const local =
      file.size > MAX_UPLOAD_BYTES
        ? `That file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`
        : file.type && !UPLOAD_ACCEPT.split(',').includes(file.type)
          ? 'Choose a JPEG, PNG, WebP or AVIF image'
          : '';
    if (local) {
      setMediaErrors((e) => ({ ...e, [kind]: `${label}: ${local}` }));
      setStatus(`${label} was not uploaded.`);
      input.value = '';
      return;
    }
    const form = new FormData();
    form.set('file', file);
    setMediaBusy(kind);
    setStatus(`Uploading ${label.toLowerCase()}…`);
    const res = await uploadForm<Record<StoreImageKind, StoreMedia>>(`/api/stores/me/${kind}`, form);
    setMediaBusy(null);
    input.value = '';
    if (!res.ok) {
      setMediaErrors((e) => ({ ...e, [kind]: `${label}: ${errorText(res.error)}` }));
      setStatus(`${label} was not uploaded.`);
      return;
    }
    setMedia((m) => ({ ...m, [kind]: res.data[kind] }));
    setStatus(`${label} saved.`);
  }

  async function remove(kind: StoreImageKind, label: string) {
    setMediaErrors((e) => ({ ...e, [kind]: undefined }));
    setMediaBusy(kind);
    const res = await callApi('DELETE', `/api/stores/me/${kind}`);
    setMediaBusy(null);
    if (!res.ok) {
      setMediaErrors((e) => ({ ...e, [kind]: `${label}: ${res.error.message}` }));
      setStatus(`${label} was not removed.`);
      return;
    }
    setMedia((m) => ({ ...m, [kind]: null }));
    setStatus(`${label} removed.`);
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
        {MEDIA.map(({ kind, label }) => {
          const image = media[kind];
          const id = `store-${kind}`;
          return (
            <div className="store-field store-media" key={kind} data-field={kind}>
              <dt id={`${id}-label`}>{label}</dt>
              <dd>
                <div className={`media-preview media-preview-${kind}`} data-testid={`${id}-preview`}>
                  {image ? (
                    <img
                      src={imageUrl(image, kind === 'logo' ? 160 : 640, 'jpeg')}
                      alt={`Your current ${label.toLowerCase()}`}
                      width={image.width}
                      height={image.height}
                      data-image-id={image.id}
                    />
                  ) : (
                    <span className="muted">No {label.toLowerCase()} yet</span>
                  )}
                </div>
                <div className="media-actions">
                  <label className="media-file" htmlFor={`${id}-file`}>
                    {image ? `Replace ${label.toLowerCase()}` : `Upload a ${label.toLowerCase()}`}
                  </label>
                  <input
                    id={`${id}-file`}
                    type="file"
                    accept={UPLOAD_ACCEPT}
                    disabled={mediaBusy === kind}
                    aria-describedby={[`${id}-hint`, mediaErrors[kind] ? `${id}-error` : ''].filter(Boolean).join(' ')}
                    aria-invalid={mediaErrors[kind] ? true : undefined}
                    onChange={(e: ChangeEvent<HTMLInputElement>) => void upload(kind, label, e.currentTarget)}
                  />
                  {image && (
                    <button
                      className="btn btn-small btn-quiet"
                      type="button"
                      disabled={mediaBusy === kind}
                      onClick={() => void remove(kind, label)}
                    >
                      Remove {label.toLowerCase()}
                    </button>
                  )}
                </div>
                <p className="field-hint" id={`${id}-hint`}>
                  {STORE_IMAGE_RULES[kind].hint}
                </p>
                {mediaErrors[kind] && (
                  <p className="field-error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
                    {mediaErrors[kind]}
                  </p>
                )}
              </dd>
            </div>
          );
        })}
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
