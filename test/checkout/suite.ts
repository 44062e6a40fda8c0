import { afterAll, beforeAll } from '@jest/globals';
import { token, type Item } from '../../subgraphs/orders/test/harness.js';
import { startCheckoutStack, type CheckoutStack } from './stack.js';

/**
 * One checkout stack per suite file (orders and the real inventory, products and the router stood
 * in for), stocked with these products, and alice's token. Each file gets its own copy (jest
 * loads modules per file); the bindings are live, filled in by `useCheckoutStack`'s beforeAll.
 */
export const PRICES = { 'p-shirt': '19.99', 'p-socks': '5.00', 'p-cap': '12.50', 'p-hat': '10.00' };

export let stack: CheckoutStack;
export let alice: string;

/** A cart of alice's (or another owner's) with these items. */
export const cartOf = (items: Item[], owner = 'user-alice') => stack.router.addCart(owner, items);

export function useCheckoutStack(): void {
  beforeAll(async () => {
    stack = await startCheckoutStack({ prices: PRICES });
    alice = await token('user-alice');
    for (const productId of Object.keys(PRICES)) await stack.setStock(productId, 1000);
  });

  afterAll(async () => {
    await stack?.stop();
  });
}
