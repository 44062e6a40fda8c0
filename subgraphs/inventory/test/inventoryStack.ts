import { afterAll, beforeAll, expect } from '@jest/globals';
import pg from 'pg';
import { readConfig } from '@shop/config';
import { createTestDatabase, errorCodes, graphql, graphqlOk, testTokenIssuer, type GraphQLResponse, type TokenIssuer, callAsRouter, serviceTrustEnv } from '@shop/testing';
import { buildInventoryConfig } from '../src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../src/server.js';

/**
 * One inventory subgraph on its own database, with the helpers the stock suites share. Each suite
 * file gets its own copy (jest loads modules per file); the bindings are live, filled in by
 * `useInventoryStack`'s beforeAll.
 */
export const ADMIN_ID = 'admin-1';

export const SET_STOCK = /* GraphQL */ `
  mutation SetStock($productId: ID!, $warehouse: String, $quantity: Int!) {
    setStock(productId: $productId, warehouse: $warehouse, quantity: $quantity) {
      id
      inStock
      stock { available reserved onHand }
    }
  }
`;

export const SET_STOCK_LEVELS = /* GraphQL */ `
  mutation SetStockLevels($levels: [StockLevelInput!]!) {
    setStockLevels(levels: $levels) {
      id
      inStock
      stock { available onHand }
    }
  }
`;

export const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        id
        inStock
        stock {
          available
          reserved
          onHand
          warehouses { warehouse onHand reserved available }
        }
      }
    }
  }
`;

export interface WarehouseStock {
  warehouse: string;
  onHand: number;
  reserved: number;
  available: number;
}
export interface ProductStock {
  id: string;
  inStock: boolean;
  stock: { available: number; reserved: number; onHand: number; warehouses: WarehouseStock[] };
}
export interface Level {
  productId: string;
  warehouse?: string;
  quantity: number;
}

export const NO_STOCK = { available: 0, reserved: 0, onHand: 0, warehouses: [] };

export let subgraph: InventorySubgraph;
export let url: string;
export let pool: pg.Pool;
export let adminToken: string;
export let customerToken: string;
let productCounter = 0;

/** A product id no other test uses. */
export const newProductId = (label: string) => `${label}-${++productCounter}`;

export let issuer: TokenIssuer;

export function useInventoryStack(databaseName: string): void {
  beforeAll(async () => {
    issuer = await testTokenIssuer();
    const databaseUrl = await createTestDatabase(databaseName);
    const { config } = readConfig({ DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('inventory')), LOG_LEVEL: 'silent' }, buildInventoryConfig);
    subgraph = await createInventorySubgraph(config);
    ({ url } = await subgraph.listen(0, '127.0.0.1'));
    callAsRouter(url, 'inventory');
    pool = new pg.Pool({ connectionString: databaseUrl });
    adminToken = await issuer.sign(ADMIN_ID, 'ADMIN');
    customerToken = await issuer.sign('customer-1', 'CUSTOMER');
  });

  afterAll(async () => {
    await pool?.end();
    await subgraph?.stop();
  });
}

export async function stockOf(...ids: string[]): Promise<ProductStock[]> {
  const data = await graphqlOk<{ _entities: ProductStock[] }>(url, ENTITIES, {
    representations: ids.map((id) => ({ __typename: 'Product', id })),
  });
  return data._entities;
}

export function setStock(variables: { productId: string; warehouse?: string | null; quantity: number }, token = adminToken) {
  return graphql<{ setStock: ProductStock }>(url, SET_STOCK, variables, { token });
}

export function setStockLevels(levels: Level[], token = adminToken) {
  return graphql<{ setStockLevels: ProductStock[] }>(url, SET_STOCK_LEVELS, { levels }, { token });
}

/** Holds units of a stocked level straight in the table, for tests about what setStock does with them. */
export async function reserve(productId: string, warehouse: string, units: number): Promise<void> {
  const { rowCount } = await pool.query('UPDATE stock_levels SET reserved = $3 WHERE product_id = $1 AND warehouse = $2', [
    productId,
    warehouse,
    units,
  ]);
  expect(rowCount).toBe(1);
}

export async function eventsOf(productId: string) {
  const { rows } = await pool.query(
    'SELECT warehouse, kind, delta, on_hand, reserved, actor_id FROM stock_events WHERE product_id = $1 ORDER BY id',
    [productId],
  );
  return rows;
}

export function expectError(result: GraphQLResponse, code: string, field?: string) {
  expect(errorCodes(result)).toEqual([code]);
  if (field !== undefined) expect(result.errors?.[0]?.extensions?.field).toBe(field);
}

