// The seller's products on /sell: stock, status and moderation notes, with a
// Radix dialog to create or edit a product and buttons to archive or restore.
// The dialog also manages the product's photos (ProductPhotos below): upload
// with required alt text, edit the alt text, reorder, delete.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import { callApi, errorText, fieldErrors, uploadForm, type ApiError } from '../../lib/shared/api-client.ts';
import {
  imageUrl,
  MAX_ALT_CHARS,
  MAX_IMAGES_PER_PRODUCT,
  MAX_UPLOAD_BYTES,
  MIN_ALT_CHARS,
  UPLOAD_ACCEPT,
  type ImageRef,
} from '../../lib/shared/images.ts';
import { formatKES } from '../../lib/shared/money.ts';
import type { ManagedProduct } from '../../lib/shared/stores.ts';

interface Props {
  initial: ManagedProduct[];
  categories: { value: string; label: string }[];
}

const STATUS_LABEL: Record<string, string> = {
  ACTIVE: 'On sale',
  ARCHIVED: 'Archived',
  HIDDEN: 'Hidden by moderation',
  DRAFT: 'Draft',
};

type Editing = { mode: 'create' } | { mode: 'edit'; product: ManagedProduct } | null;

export default function ProductManager({ initial, categories }: Props) {
  const [products, setProducts] = useState(initial);
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);

  function replace(p: ManagedProduct) {
    setProducts((list) => {
      const i = list.findIndex((x) => x.id === p.id);
      return i === -1 ? [p, ...list] : list.map((x) => (x.id === p.id ? p : x));
    });
  }

  async function toggleArchive(p: ManagedProduct) {
    setBusy(p.id);
    setRowError(null);
    const archiving = p.status === 'ACTIVE';
    const res = archiving
      ? await callApi<{ product: ManagedProduct }>('DELETE', `/api/products/${p.id}`)
      : await callApi<{ product: ManagedProduct }>('POST', `/api/products/${p.id}/restore`);
    setBusy(null);
    if (!res.ok) {
      setRowError({ id: p.id, message: res.error.message });
      setStatus(`${p.title}: ${res.error.message}`);
      return;
    }
    replace(res.data.product);
    setStatus(`${p.title} ${archiving ? 'archived' : 'restored'}.`);
  }

  return (
    <section className="section" aria-labelledby="products-h" data-testid="product-manager">
      <div className="store-editor-head">
        <h2 id="products-h">Products ({products.length})</h2>
        <button className="btn btn-small" type="button" onClick={() => setEditing({ mode: 'create' })}>
          New product
        </button>
      </div>
      {products.length === 0 ? (
        <p className="muted">No products yet. List your first piece with “New product”.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Price</th>
                <th scope="col">Stock</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id} data-product-id={p.id}>
                  <th scope="row">
                    {p.status === 'ACTIVE' ? <a href={`/p/${p.slug}`}>{p.title}</a> : p.title}
                    <span className="muted small"> · {p.category.name}</span>
                  </th>
                  <td>{formatKES(p.price)}</td>
                  <td className={p.stock === 0 ? 'stock-zero' : undefined}>{p.stock === 0 ? 'Sold out' : p.stock}</td>
                  <td>
                    {STATUS_LABEL[p.status] ?? p.status}
                    {p.moderationReason && <span className="muted small"> ({p.moderationReason})</span>}
                    {rowError?.id === p.id && (
                      <span className="field-error" role="alert">
                        {' '}
                        {rowError.message}
                      </span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      className="btn btn-small btn-quiet"
                      type="button"
                      onClick={() => setEditing({ mode: 'edit', product: p })}
                    >
                      Edit<span className="sr-only"> {p.title}</span>
                    </button>
                    {p.status !== 'HIDDEN' && (
                      <button
                        className="btn btn-small btn-quiet"
                        type="button"
                        disabled={busy === p.id}
                        onClick={() => void toggleArchive(p)}
                      >
                        {p.status === 'ACTIVE' ? 'Archive' : 'Restore'}
                        <span className="sr-only"> {p.title}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="sr-only" role="status" aria-live="polite" data-testid="product-status">
        {status}
      </p>
      <Dialog.Root open={editing !== null} onOpenChange={(o) => !o && setEditing(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="dialog-overlay" />
          <Dialog.Content className="dialog" aria-describedby={undefined}>
            <Dialog.Title className="h3">{editing?.mode === 'edit' ? 'Edit product' : 'New product'}</Dialog.Title>
            {editing && (
              <ProductForm
                key={editing.mode === 'edit' ? editing.product.id : 'new'}
                product={editing.mode === 'edit' ? editing.product : undefined}
                categories={categories}
                onSaved={(p) => {
                  replace(p);
                  if (editing.mode === 'create') {
                    // Listed: stay in the dialog so the seller can add its photos.
                    setEditing({ mode: 'edit', product: p });
                    setStatus(`${p.title} listed. Add its photos.`);
                    return;
                  }
                  setEditing(null);
                  setStatus(`${p.title} saved.`);
                }}
              />
            )}
            {editing?.mode === 'edit' && (
              <ProductPhotos
                key={`photos-${editing.product.id}`}
                productId={editing.product.id}
                onCount={(n) => {
                  const p = products.find((x) => x.id === editing.product.id) ?? editing.product;
                  if (p.imageCount !== n) replace({ ...p, imageCount: n });
                }}
              />
            )}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </section>
  );
}

function ProductForm(props: {
  product?: ManagedProduct;
  categories: { value: string; label: string }[];
  onSaved: (p: ManagedProduct) => void;
}) {
  const { product: p, categories, onSaved } = props;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const num = (k: string) => {
      const s = String(f.get(k) ?? '')
        .replace(/,/g, '')
        .trim();
      return s === '' ? NaN : Number(s);
    };
    const body: Record<string, unknown> = {
      title: String(f.get('title') ?? ''),
      description: String(f.get('description') ?? ''),
      categorySlug: String(f.get('categorySlug') ?? ''),
      priceKES: num('priceKES'),
      stock: num('stock'),
    };
    const local: Record<string, string> = {};
    if (Number.isNaN(body.priceKES)) local.priceKES = 'Enter a price in KES';
    if (Number.isNaN(body.stock)) local.stock = 'Enter how many you have';
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setBusy(true);
    const res = p
      ? await callApi<{ product: ManagedProduct }>('PATCH', `/api/products/${p.id}`, body)
      : await callApi<{ product: ManagedProduct }>('POST', '/api/products', body);
    setBusy(false);
    if (res.ok) return onSaved(res.data.product);
    const errs = errorsByField(res.error);
    setErrors(errs);
    setFormError(Object.keys(errs).length ? '' : res.error.message);
  }

  const field = (name: string) => ({
    id: `product-${name}`,
    name,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `product-${name}-error` : undefined,
  });
  const err = (name: string) =>
    errors[name] && (
      <p className="field-error" id={`product-${name}-error`}>
        {errors[name]}
      </p>
    );

  return (
    <form className="auth-form" onSubmit={submit} noValidate data-testid="product-form">
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <label htmlFor="product-title">Title</label>
      <input {...field('title')} defaultValue={p?.title ?? ''} maxLength={120} />
      {err('title')}
      <label htmlFor="product-description">Description</label>
      <textarea {...field('description')} defaultValue={p?.description ?? ''} rows={5} maxLength={5000} />
      {err('description')}
      <label htmlFor="product-categorySlug">Category</label>
      <select {...field('categorySlug')} defaultValue={p?.category.slug ?? ''}>
        <option value="" disabled>
          Choose a category
        </option>
        {categories.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {err('categorySlug')}
      <label htmlFor="product-priceKES">Price (KES)</label>
      <input {...field('priceKES')} inputMode="decimal" defaultValue={p ? String(p.price / 100) : ''} />
      {err('priceKES')}
      <label htmlFor="product-stock">Stock</label>
      <input {...field('stock')} inputMode="numeric" defaultValue={p ? String(p.stock) : '1'} />
      {err('stock')}
      {!p && (
        <p className="field-hint">Once the product is listed you can add up to {MAX_IMAGES_PER_PRODUCT} photos.</p>
      )}
      <div className="store-popover-actions">
        <button className="btn" type="submit" disabled={busy}>
          {busy ? 'Saving…' : p ? 'Save changes' : 'List product'}
        </button>
        <Dialog.Close className="btn btn-quiet" type="button">
          Cancel
        </Dialog.Close>
      </div>
    </form>
  );
}

/** Zod issues by field, plus the domain's `{ field }` detail (e.g. an unknown category). */
function errorsByField(error: ApiError): Record<string, string> {
  const out = fieldErrors(error);
  const f = (error.details as { field?: string } | undefined)?.field;
  if (f && !out[f]) out[f] = error.message.replace(/^Invalid body\.\w+: /, '');
  return out;
}

type Photo = ImageRef & { position: number };

/**
 * The product's photos: each with its alt text (required, what a screen reader
 * says and what shows if the photo cannot load), Move up/down, Delete, and an
 * upload form. Every change goes straight to the image API.
 */
function ProductPhotos({ productId, onCount }: { productId: string; onCount: (n: number) => void }) {
  const [photos, setPhotos] = useState<Photo[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [altErrors, setAltErrors] = useState<Record<string, string>>({});
  const [uploadErrors, setUploadErrors] = useState<{ file?: string; alt?: string; form?: string }>({});
  const fileRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const base = `/api/products/${productId}/images`;

  useEffect(() => {
    let live = true;
    void callApi<{ images: Photo[] }>('GET', base).then((res) => {
      if (!live) return;
      if (res.ok) setPhotos(res.data.images);
      else setLoadError(res.error.message);
    });
    return () => {
      live = false;
    };
  }, [base]);

  useEffect(() => {
    if (photos) onCount(photos.length);
    // onCount changes identity every render; the count is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [photos?.length]);

  const altProblem = (alt: string) =>
    alt.trim().length < MIN_ALT_CHARS
      ? `Describe the photo in at least ${MIN_ALT_CHARS} characters`
      : alt.trim().length > MAX_ALT_CHARS
        ? `At most ${MAX_ALT_CHARS} characters`
        : '';

  async function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const file = fileRef.current?.files?.[0];
    const alt = String(new FormData(formEl).get('alt') ?? '');
    const errs: typeof uploadErrors = {};
    if (!file) errs.file = 'Choose a photo to upload';
    else if (file.size > MAX_UPLOAD_BYTES) errs.file = `That file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
    else if (file.type && !UPLOAD_ACCEPT.split(',').includes(file.type))
      errs.file = 'Choose a JPEG, PNG, WebP or AVIF image';
    const a = altProblem(alt);
    if (a) errs.alt = a;
    setUploadErrors(errs);
    if (errs.file || errs.alt) return;
    const form = new FormData();
    form.set('alt', alt);
    form.set('file', file!);
    setBusy(true);
    setStatus('Uploading photo…');
    const res = await uploadForm<{ image: Photo }>(base, form);
    setBusy(false);
    if (!res.ok) {
      const issues = fieldErrors(res.error);
      setUploadErrors(issues.alt ? { alt: `Alt text ${issues.alt}` } : { form: errorText(res.error) });
      setStatus('The photo was not uploaded.');
      return;
    }
    setPhotos((list) => [...(list ?? []), res.data.image]);
    formEl.reset();
    setStatus('Photo uploaded.');
  }

  async function saveAlt(e: FormEvent<HTMLFormElement>, photo: Photo) {
    e.preventDefault();
    const alt = String(new FormData(e.currentTarget).get('alt') ?? '');
    const a = altProblem(alt);
    setAltErrors((x) => ({ ...x, [photo.id]: a }));
    if (a) return;
    setBusy(true);
    const res = await callApi<{ image: Photo }>('PATCH', `${base}/${photo.id}`, { alt });
    setBusy(false);
    if (!res.ok) {
      setAltErrors((x) => ({ ...x, [photo.id]: errorText(res.error) }));
      setStatus('The description was not saved.');
      return;
    }
    setPhotos((list) => (list ?? []).map((p) => (p.id === photo.id ? { ...p, alt: res.data.image.alt } : p)));
    setStatus('Description saved.');
  }

  async function move(index: number, by: -1 | 1) {
    if (!photos) return;
    const next = [...photos];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    const previous = photos;
    setPhotos(next); // optimistic; rolled back below if refused
    setBusy(true);
    const res = await callApi<{ images: Photo[] }>('PUT', `${base}/order`, { imageIds: next.map((p) => p.id) });
    setBusy(false);
    if (!res.ok) {
      setPhotos(previous);
      setStatus(`The order was not saved: ${res.error.message}`);
      return;
    }
    setPhotos(res.data.images);
    setStatus(`Photo moved to position ${index + by + 1} of ${next.length}.`);
  }

  async function remove(photo: Photo, n: number) {
    setBusy(true);
    const res = await callApi('DELETE', `${base}/${photo.id}`);
    setBusy(false);
    if (!res.ok) {
      setStatus(`Photo ${n} was not deleted: ${res.error.message}`);
      return;
    }
    setPhotos((list) => (list ?? []).filter((p) => p.id !== photo.id));
    setStatus(`Photo ${n} deleted.`);
    headingRef.current?.focus();
  }

  const full = (photos?.length ?? 0) >= MAX_IMAGES_PER_PRODUCT;
  return (
    <section className="product-photos" aria-labelledby="product-photos-h" data-testid="product-photos">
      <h3 id="product-photos-h" className="h3" tabIndex={-1} ref={headingRef}>
        Photos {photos ? `(${photos.length} of ${MAX_IMAGES_PER_PRODUCT})` : ''}
      </h3>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      {photos === null && !loadError && <p className="muted">Loading photos…</p>}
      {photos && photos.length === 0 && (
        <p className="muted">No photos yet. The first photo is the one shoppers see first.</p>
      )}
      {photos && photos.length > 0 && (
        <ol className="photo-list">
          {photos.map((photo, i) => {
            const id = `photo-alt-${photo.id}`;
            return (
              <li key={photo.id} className="photo-item" data-image-id={photo.id}>
                <img src={imageUrl(photo, 160, 'jpeg')} alt="" width={photo.width} height={photo.height} />
                <form className="photo-alt" onSubmit={(e) => void saveAlt(e, photo)} noValidate>
                  <label htmlFor={id}>Description of photo {i + 1} (alt text)</label>
                  <input
                    id={id}
                    name="alt"
                    defaultValue={photo.alt}
                    maxLength={MAX_ALT_CHARS}
                    aria-invalid={altErrors[photo.id] ? true : undefined}
                    aria-describedby={altErrors[photo.id] ? `${id}-error` : undefined}
                  />
                  <button className="btn btn-small btn-quiet" type="submit" disabled={busy}>
                    Save<span className="sr-only"> description of photo {i + 1}</span>
                  </button>
                  {altErrors[photo.id] && (
                    <p className="field-error" id={`${id}-error`}>
                      {altErrors[photo.id]}
                    </p>
                  )}
                </form>
                <div className="photo-actions">
                  <button
                    className="btn btn-small btn-quiet"
                    type="button"
                    disabled={busy || i === 0}
                    onClick={() => void move(i, -1)}
                  >
                    Move up<span className="sr-only"> photo {i + 1}</span>
                  </button>
                  <button
                    className="btn btn-small btn-quiet"
                    type="button"
                    disabled={busy || i === photos.length - 1}
                    onClick={() => void move(i, 1)}
                  >
                    Move down<span className="sr-only"> photo {i + 1}</span>
                  </button>
                  <button
                    className="btn btn-small btn-quiet"
                    type="button"
                    disabled={busy}
                    onClick={() => void remove(photo, i + 1)}
                  >
                    Delete<span className="sr-only"> photo {i + 1}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {full ? (
        <p className="field-hint">
          A product can have at most {MAX_IMAGES_PER_PRODUCT} photos; delete one to add another.
        </p>
      ) : (
        <form className="auth-form photo-upload" onSubmit={(e) => void upload(e)} noValidate data-testid="photo-upload">
          {uploadErrors.form && (
            <p className="form-error" role="alert">
              {uploadErrors.form}
            </p>
          )}
          <label htmlFor="photo-file">Add a photo</label>
          <input
            id="photo-file"
            ref={fileRef}
            type="file"
            accept={UPLOAD_ACCEPT}
            aria-invalid={uploadErrors.file ? true : undefined}
            aria-describedby={`photo-file-hint${uploadErrors.file ? ' photo-file-error' : ''}`}
          />
          <p className="field-hint" id="photo-file-hint">
            JPEG, PNG, WebP or AVIF, up to {MAX_UPLOAD_BYTES / 1024 / 1024} MB.
          </p>
          {uploadErrors.file && (
            <p className="field-error" id="photo-file-error">
              {uploadErrors.file}
            </p>
          )}
          <label htmlFor="photo-alt">Describe the photo (alt text)</label>
          <input
            id="photo-alt"
            name="alt"
            maxLength={MAX_ALT_CHARS}
            aria-invalid={uploadErrors.alt ? true : undefined}
            aria-describedby={`photo-alt-hint${uploadErrors.alt ? ' photo-alt-error' : ''}`}
          />
          <p className="field-hint" id="photo-alt-hint">
            Required: what a shopper who cannot see the photo should know, e.g. “The cuff on a wrist, side view”.
          </p>
          {uploadErrors.alt && (
            <p className="field-error" id="photo-alt-error">
              {uploadErrors.alt}
            </p>
          )}
          <div>
            <button className="btn btn-small" type="submit" disabled={busy}>
              {busy ? 'Working…' : 'Upload photo'}
            </button>
          </div>
        </form>
      )}
      <p className="sr-only" role="status" aria-live="polite" data-testid="photo-status">
        {status}
      </p>
    </section>
  );
}
