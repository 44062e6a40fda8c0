import { useMutation, useQuery } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { Outcome, useRun } from '../components/States.js';
import { graphql } from '../gql/index.js';
import { SetStockDocument } from '../gql/graphql.js';

const ProductStock = graphql(`
  query ProductStock($id: ID!) {
    product(id: $id) {
      id
      stock {
        available
        reserved
        onHand
        warehouses {
          warehouse
          onHand
          reserved
          available
        }
      }
    }
  }
`);

/** On-hand stock per warehouse; a new warehouse name adds one. */
export function StockEditor({ productId, name }: { productId: string; name: string }) {
  const { data } = useQuery(ProductStock, { variables: { id: productId } });
  const [setStock] = useMutation(SetStockDocument, { refetchQueries: [ProductStock] });
  const { outcome, run } = useRun();
  const warehouses = data?.product?.stock?.warehouses ?? [];
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const warehouse = String(form.get('warehouse') ?? '').trim();
    await run(() => setStock({ variables: { productId, warehouse: warehouse || null, quantity: Number(form.get('quantity')) } }), 'Stock saved.');
  };
  return (
    <div className="stock-editor" data-testid="stock-editor">
      <table aria-label={`Stock of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Warehouse</th>
            <th scope="col" className="num">On hand</th>
            <th scope="col" className="num">Reserved</th>
            <th scope="col" className="num">Available</th>
          </tr>
        </thead>
        <tbody>
          {warehouses.map((w) => (
            <tr key={w.warehouse} data-testid="warehouse-row">
              <td>{w.warehouse}</td>
              <td className="num">{w.onHand}</td>
              <td className="num">{w.reserved}</td>
              <td className="num">{w.available}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={(e) => void submit(e)}>
        <label>
          Warehouse
          <input name="warehouse" list={`warehouses-${productId}`} placeholder="default" data-testid="stock-warehouse" />
          <datalist id={`warehouses-${productId}`}>
            {warehouses.map((w) => (
              <option key={w.warehouse} value={w.warehouse} />
            ))}
          </datalist>
        </label>
        <label>
          On hand
          <input name="quantity" type="number" min={0} required data-testid="stock-quantity" />
        </label>
        <button type="submit" data-testid="stock-save">
          Set stock
        </button>
      </form>
      <Outcome state={outcome} />
    </div>
  );
}
