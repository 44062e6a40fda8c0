/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Catalogue($query: String, $filter: SearchFilter, $first: Int, $after: String) {\n  searchProducts(query: $query, filter: $filter, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      name\n      price {\n        amount\n        currencyCode\n      }\n      images {\n        url\n        alt\n      }\n      inStock\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CatalogueDocument,
    "query MyOrders($first: Int, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          orderNumber\n          status\n          createdAt\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MyOrdersDocument,
    "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    orderNumber\n    status\n    total {\n      amount\n      currencyCode\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.OrderDetailDocument,
    "subscription OrderStatusLive($id: ID, $after: String) {\n  orderStatusChanged(orderId: $id, after: $after) {\n    id\n    status\n  }\n}": typeof types.OrderStatusLiveDocument,
    "mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n  payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n    id\n    status\n    failureReason\n  }\n}": typeof types.PayOrderDocument,
    "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    id\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    inStock\n    stock {\n      available\n    }\n  }\n}": typeof types.ProductDetailDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}": typeof types.RefreshSessionDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}": typeof types.SignOutDocument,
    "subscription StockLive($ids: [ID!], $after: String) {\n  stockChanged(productIds: $ids, after: $after) {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n}": typeof types.StockLiveDocument,
};
const documents: Documents = {
    "query Catalogue($query: String, $filter: SearchFilter, $first: Int, $after: String) {\n  searchProducts(query: $query, filter: $filter, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      name\n      price {\n        amount\n        currencyCode\n      }\n      images {\n        url\n        alt\n      }\n      inStock\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CatalogueDocument,
    "query MyOrders($first: Int, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          orderNumber\n          status\n          createdAt\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MyOrdersDocument,
    "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    orderNumber\n    status\n    total {\n      amount\n      currencyCode\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}": types.OrderDetailDocument,
    "subscription OrderStatusLive($id: ID, $after: String) {\n  orderStatusChanged(orderId: $id, after: $after) {\n    id\n    status\n  }\n}": types.OrderStatusLiveDocument,
    "mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n  payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n    id\n    status\n    failureReason\n  }\n}": types.PayOrderDocument,
    "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    id\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    inStock\n    stock {\n      available\n    }\n  }\n}": types.ProductDetailDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}": types.RefreshSessionDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}": types.SignInDocument,
    "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}": types.SignOutDocument,
    "subscription StockLive($ids: [ID!], $after: String) {\n  stockChanged(productIds: $ids, after: $after) {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n}": types.StockLiveDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Catalogue($query: String, $filter: SearchFilter, $first: Int, $after: String) {\n  searchProducts(query: $query, filter: $filter, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      name\n      price {\n        amount\n        currencyCode\n      }\n      images {\n        url\n        alt\n      }\n      inStock\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Catalogue($query: String, $filter: SearchFilter, $first: Int, $after: String) {\n  searchProducts(query: $query, filter: $filter, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      name\n      price {\n        amount\n        currencyCode\n      }\n      images {\n        url\n        alt\n      }\n      inStock\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyOrders($first: Int, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          orderNumber\n          status\n          createdAt\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MyOrders($first: Int, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          orderNumber\n          status\n          createdAt\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    orderNumber\n    status\n    total {\n      amount\n      currencyCode\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    orderNumber\n    status\n    total {\n      amount\n      currencyCode\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription OrderStatusLive($id: ID, $after: String) {\n  orderStatusChanged(orderId: $id, after: $after) {\n    id\n    status\n  }\n}"): (typeof documents)["subscription OrderStatusLive($id: ID, $after: String) {\n  orderStatusChanged(orderId: $id, after: $after) {\n    id\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n  payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n    id\n    status\n    failureReason\n  }\n}"): (typeof documents)["mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n  payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n    id\n    status\n    failureReason\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    id\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    inStock\n    stock {\n      available\n    }\n  }\n}"): (typeof documents)["query ProductDetail($id: ID!) {\n  product(id: $id) {\n    id\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    inStock\n    stock {\n      available\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}"): (typeof documents)["mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    user {\n      id\n      email\n      name\n      role\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}"): (typeof documents)["mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription StockLive($ids: [ID!], $after: String) {\n  stockChanged(productIds: $ids, after: $after) {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n}"): (typeof documents)["subscription StockLive($ids: [ID!], $after: String) {\n  stockChanged(productIds: $ids, after: $after) {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;