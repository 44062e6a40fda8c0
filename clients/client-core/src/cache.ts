import { InMemoryCache, type TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * The federated entities by id, so an order status pushed over the socket or a stock level
 * changed by a mutation updates every view of that entity. Value objects without ids (stock,
 * rating, preferences) merge into their owner instead of replacing it.
 */
export const shopTypePolicies: TypePolicies = {
  Product: {
    keyFields: ['id'],
    // "More reviews" appends the next page to the ones shown.
    fields: { stock: { merge: true }, rating: { merge: true }, attributes: { merge: true }, reviews: relayStylePagination() },
  },
  Order: { keyFields: ['id'] },
  User: { keyFields: ['id'], fields: { preferences: { merge: true } } },
  Review: { keyFields: ['id'] },
  Cart: { keyFields: ['id'] },
  Category: { keyFields: ['id'] },
  Address: { keyFields: ['id'] },
  Payment: { keyFields: ['id'] },
  Shipment: { keyFields: ['id'] },
  ProductVariant: { keyFields: ['id'] },
  // A copy taken at checkout: two orders of one variant may hold different names, so each line
  // keeps its own instead of sharing one cache entry by the variant's id.
  OrderItemVariant: { keyFields: false },
  Query: {
    fields: {
      // An entity already in the cache (from a list) shows at once on its own page.
      product: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Product', id: args.id }) : undefined) },
      order: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Order', id: args.id }) : undefined) },
    },
  },
};

export function createShopCache(): InMemoryCache {
  return new InMemoryCache({ typePolicies: shopTypePolicies });
}
