import { useMutation, useQuery } from '@apollo/client/react';
import { money } from '@shop/client-core';
import { useState, type FormEvent } from 'react';
import { Pager, useCursorPages } from '../components/Pager.js';
import { ErrorNotice, Loading, Outcome, useRun } from '../components/States.js';
import { ArchiveProductDocument, CategoriesDocument, CreateProductDocument, ProductsDocument, UpdateProductDocument, type AdminProductFragment } from '../gql/graphql.js';
import { ImageUploader } from './ImageUploader.js';
import { PricesEditor } from './PricesEditor.js';
import { StockEditor } from './StockEditor.js';

function CreateProduct() {
  const categories = useQuery(CategoriesDocument);
  const [create] = useMutation(CreateProductDocument, { refetchQueries: [ProductsDocument] });
  const { outcome, run } = useRun();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const value = (k: string) => String(form.get(k) ?? '').trim();
    void run(async () => {
      await create({
        variables: {
          input: { sku: value('sku'), name: value('name'), description: value('description') || null, categoryId: value('categoryId'), basePrice: { amount: value('price'), currencyCode: 'EUR' } },
        },
      });
      target.reset();
    }, 'Product created.');
  };
  return (
    <details className="panel">
      <summary data-testid="new-product">New product</summary>
      <form className="grid-form" onSubmit={submit} data-testid="product-form">
        <label>
          SKU
          <input name="sku" required maxLength={64} data-testid="product-sku" />
        </label>
        <label>
          Name
          <input name="name" required maxLength={200} data-testid="product-name" />
        </label>
        <label>
          Category
          <select name="categoryId" required data-testid="product-category">
            {(categories.data?.categories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Price (EUR)
          <input name="price" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" placeholder="19.99" data-testid="product-price" />
        </label>
        <label className="wide">
          Description
          <textarea name="description" rows={2} maxLength={5000} />
        </label>
        <button type="submit" className="primary" data-testid="product-create">
          Create product
        </button>
        <Outcome state={outcome} />
      </form>
    </details>
  );
}

/** Name and price; the fields left as they are stay unchanged (updateProduct is partial). */
function EditProduct({ product }: { product: AdminProductFragment }) {
  const [update] = useMutation(UpdateProductDocument);
  const { outcome, run } = useRun();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const amount = String(form.get('price') ?? '').trim();
    const input = {
      ...(name !== product.name ? { name } : {}),
      ...(amount !== product.basePrice.amount ? { basePrice: { amount, currencyCode: product.basePrice.currencyCode } } : {}),
    };
    void run(() => update({ variables: { id: product.id, input } }), 'Product saved.');
  };
  return (
    <form className="row" onSubmit={submit} aria-label={`Edit ${product.name}`}>
      <label>
        Name
        <input name="name" required maxLength={200} defaultValue={product.name} data-testid="edit-name" />
      </label>
      <label>
        Base price ({product.basePrice.currencyCode})
        <input name="price" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" defaultValue={product.basePrice.amount} data-testid="edit-price" />
      </label>
      <button type="submit" data-testid="edit-save">
        Save
      </button>
      <Outcome state={outcome} />
    </form>
  );
}

function ProductRow({ product }: { product: AdminProductFragment }) {
  const [archive] = useMutation(ArchiveProductDocument, { refetchQueries: [ProductsDocument] });
  const [open, setOpen] = useState(false);
  const { outcome, run } = useRun();
  return (
    <>
      <tr data-testid="product-row" data-product-id={product.id}>
        <td>{product.sku}</td>
        <td className="clip" title={product.name}>
          {product.name}
        </td>
        <td>{product.category.name}</td>
        <td className="num">{money(product.price)}</td>
        <td className="num" data-testid="product-available">
          {product.stock ? product.stock.available : '—'}
        </td>
        <td>
          <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="product-manage">
            Manage<span className="visually-hidden"> {product.name}</span>
          </button>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={6}>
            <EditProduct product={product} />
            <PricesEditor productId={product.id} name={product.name} />
            <StockEditor productId={product.id} name={product.name} />
            <ImageUploader productId={product.id} name={product.name} />
            <button type="button" onClick={() => window.confirm(`Archive ${product.name}?`) && void run(() => archive({ variables: { id: product.id } }), 'Archived.')} data-testid="product-archive">
              Archive product
            </button>
            <Outcome state={outcome} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function ProductsPage() {
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const { data, loading, error, refetch } = useQuery(ProductsDocument, { variables: { filter: search ? { search } : null, first: 25, after: pages.after } });
  const products = data?.products;
  return (
    <section data-testid="products-page">
      <div className="head">
        <h1>Products</h1>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(String(new FormData(e.currentTarget).get('q') ?? '').trim());
            pages.reset();
          }}
        >
          <label className="inline">
            Search <input name="q" type="search" data-testid="product-search" />
          </label>
        </form>
      </div>
      <CreateProduct />
      {loading && !data ? <Loading label="Loading products…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {products ? (
        <>
          <p className="muted">{products.totalCount} products</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Name</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">Price</th>
                  <th scope="col" className="num">Available</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {products.edges.map(({ node }) => (
                  <ProductRow key={node.id} product={node} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager hasPrevious={pages.hasPrevious} hasNext={products.pageInfo.hasNextPage} onPrevious={pages.previous} onNext={() => pages.next(products.pageInfo.endCursor)} />
        </>
      ) : null}
    </section>
  );
}
