// The seller's products on /sell: stock, status and moderation notes, with a
// Radix dialog to create or edit a product and buttons to archive or restore.
import { useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import { callApi, fieldErrors, type ApiError } from '../../lib/shared/api-client.ts';
import { formatKES } from '../../lib/shared/money.ts';

export interface ManagedProductView {
  id: string;
  slug: string;
  title: string;
  description: string;
  price: number;
  stock: number;
  status: string;
  moderationReason: string | null;
  category: { slug: string; name: string };
  imageCount: number;
}

interface Props {
  initial: ManagedProductView[];
  categories: { value: string; label: string }[];
}

const STATUS_LABEL: Record<string, string> = {
  ACTIVE: 'On sale',
  ARCHIVED: 'Archived',
  HIDDEN: 'Hidden by moderation',
  DRAFT: 'Draft',
};

type Editing = { mode: 'create' } | { mode: 'edit'; product: ManagedProductView } | null;

export default function ProductManager({ initial, categories }: Props) {
  const [products, setProducts] = useState(initial);
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);

  function replace(p: ManagedProductView) {
    setProducts((list) => {
      const i = list.findIndex((x) => x.id === p.id);
      return i === -1 ? [p, ...list] : list.map((x) => (x.id === p.id ? p : x));
    });
  }

  async function toggleArchive(p: ManagedProductView) {
    setBusy(p.id);
    setRowError(null);
    const archiving = p.status === 'ACTIVE';
    const res = archiving
      ? await callApi<{ product: ManagedProductView }>('DELETE', `/api/products/${p.id}`)
      : await callApi<{ product: ManagedProductView }>('POST', `/api/products/${p.id}/restore`);
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
                  setEditing(null);
                  setStatus(`${p.title} saved.`);
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
  product?: ManagedProductView;
  categories: { value: string; label: string }[];
  onSaved: (p: ManagedProductView) => void;
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
      ? await callApi<{ product: ManagedProductView }>('PATCH', `/api/products/${p.id}`, body)
      : await callApi<{ product: ManagedProductView }>('POST', '/api/products', body);
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
      <p className="field-hint">Photos are added from the product page once image upload is available.</p>
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
