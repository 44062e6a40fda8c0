import type { RequestBase } from '@shop/subgraph-kit';
import type { CheckoutContextReader } from './checkoutContext.js';
import { createLoaders, type ShippingLoaders } from './loaders.js';
import type { ShippingRepository } from './repository.js';

/** What every resolver and service call of one request sees. */
export interface ShippingContext extends RequestBase {
  loaders: ShippingLoaders;
}

export function createShippingContext(
  base: RequestBase,
  repository: ShippingRepository,
  reader: CheckoutContextReader,
): ShippingContext {
  const forward = { authorization: base.authorization, requestId: base.requestId, clientIp: base.clientIp };
  return { ...base, loaders: createLoaders(repository, reader, forward) };
}
