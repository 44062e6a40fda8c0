import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  AccountDeletionDocument,
  ArchiveProductDocument,
  CancelOrderDocument,
  CategoriesDocument,
  CreateProductDocument,
  CreatePromotionDocument,
  ExchangeRatesDocument,
  PromotionDocument,
  PromotionsDocument,
  SetExchangeRateDocument,
  SetProductPriceDocument,
  CreateShipmentDocument,
  FulfilOrderDocument,
  LoginDocument,
  MarkDeliveredDocument,
  OrderDocument,
  OrdersDocument,
  ProductsDocument,
  RefundOrderDocument,
  SalesReportDocument,
  SetStockDocument,
  UpdateProductDocument,
  type AccountDeletionQuery,
  type ArchiveProductMutation,
  type CancelOrderMutation,
  type CategoriesQuery,
  type CreateProductMutation,
  type CreatePromotionMutation,
  type ExchangeRatesQuery,
  type MoneyInput,
  type PromotionInput,
  type PromotionQuery,
  type PromotionsQuery,
  type PromotionsQueryVariables,
  type SetExchangeRateMutation,
  type SetProductPriceMutation,
  type CreateShipmentMutation,
  type FulfilOrderMutation,
  type LoginMutation,
  type MarkDeliveredMutation,
  type OrderQuery,
  type OrdersQuery,
  type OrdersQueryVariables,
  type ProductInput,
  type ProductsQuery,
  type ProductsQueryVariables,
  type ProductUpdateInput,
  type RefundOrderMutation,
  type SalesReportQuery,
  type SalesReportQueryVariables,
  type SetStockMutation,
  type UpdateProductMutation,
} from './generated/graphql.js';

/** One error as the API reported it: the `extensions.code` of the registry, and the argument it names. */
export interface AdminApiError {
  code: string;
  message: string;
  field?: string;
}

/** Expected failures are values, not exceptions: a caller has to look at `ok` before `data`. */
export type AdminResult<T> = { ok: true; data: T } | { ok: false; errors: AdminApiError[] };

/** An event its consumer group gave up on (the router's /admin/events/dead-letters). */
export interface DeadLetter {
  id: string;
  group: string;
  event: { id: string; type: string; source: string; key: string; occurredAt: string; data: unknown };
  attempts: number;
  error: string;
  failedAt: string;
}

/** Codes the client itself produces, when there is no GraphQL answer to take one from. */
export const CLIENT_ERROR_CODES = {
  NETWORK_ERROR: 'NETWORK_ERROR',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

export interface AdminClientOptions {
  /** The router's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** An access token from `login`; sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  fetch?: typeof fetch;
}

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: { code?: unknown; field?: unknown };
}

/**
 * The admin SDK: one method per operation in `clients/admin/operations`, typed by the documents
 * codegen compiled against `schema/supergraph.graphql`, so a schema change that breaks an
 * operation breaks the consumer's build.
 */
export function createAdminClient(options: AdminClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  let token = options.token ?? null;
  const printed = new WeakMap<object, string>();

  async function request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<AdminResult<TData>> {
    let query = printed.get(document);
    if (query === undefined) {
      query = print(document);
      printed.set(document, query);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return failure(CLIENT_ERROR_CODES.NETWORK_ERROR, `cannot reach ${options.url}${cause}`);
    }
    let body: { data?: TData | null; errors?: GraphQLErrorBody[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      return failure(CLIENT_ERROR_CODES.BAD_RESPONSE, `${options.url} answered HTTP ${response.status} without a GraphQL response`);
    }
    if (body.errors && body.errors.length > 0) return { ok: false, errors: body.errors.map(toApiError) };
    if (body.data === undefined || body.data === null) {
      return failure(CLIENT_ERROR_CODES.BAD_RESPONSE, `${options.url} answered HTTP ${response.status} without data`);
    }
    return { ok: true, data: body.data };
  }

  /** The router's admin routes beside /graphql, which answer JSON (errors in the GraphQL shape). */
  async function adminRequest<T>(path: string, method: 'GET' | 'POST'): Promise<AdminResult<T>> {
    const url = new URL(path, options.url).toString();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchImpl(url, { method, headers });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return failure(CLIENT_ERROR_CODES.NETWORK_ERROR, `cannot reach ${url}${cause}`);
    }
    let body: T & { errors?: GraphQLErrorBody[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      return failure(CLIENT_ERROR_CODES.BAD_RESPONSE, `${url} answered HTTP ${response.status} without JSON`);
    }
    if (body.errors && body.errors.length > 0) return { ok: false, errors: body.errors.map(toApiError) };
    if (!response.ok) return failure(CLIENT_ERROR_CODES.BAD_RESPONSE, `${url} answered HTTP ${response.status}`);
    return { ok: true, data: body };
  }

  return {
    request,
    get token(): string | null {
      return token;
    },
    /** Signs in; on success later calls carry the new access token. */
    async login(email: string, password: string): Promise<AdminResult<LoginMutation['login']>> {
      const result = await request(LoginDocument, { email, password });
      if (!result.ok) return result;
      token = result.data.login.accessToken;
      return { ok: true, data: result.data.login };
    },
    products: (variables: ProductsQueryVariables = {}) => field(request(ProductsDocument, variables), (d: ProductsQuery) => d.products),
    categories: () => field(request(CategoriesDocument, {}), (d: CategoriesQuery) => d.categories),
    createProduct: (input: ProductInput) =>
      field(request(CreateProductDocument, { input }), (d: CreateProductMutation) => d.createProduct),
    updateProduct: (id: string, input: ProductUpdateInput) =>
      field(request(UpdateProductDocument, { id, input }), (d: UpdateProductMutation) => d.updateProduct),
    archiveProduct: (id: string) => field(request(ArchiveProductDocument, { id }), (d: ArchiveProductMutation) => d.archiveProduct),
    setStock: (productId: string, quantity: number, warehouse?: string) =>
      field(request(SetStockDocument, { productId, quantity, warehouse: warehouse ?? null }), (d: SetStockMutation) => d.setStock),
    orders: (variables: OrdersQueryVariables = {}) => field(request(OrdersDocument, variables), (d: OrdersQuery) => d.orders),
    order: (id: string) => field(request(OrderDocument, { id }), (d: OrderQuery) => d.order),
    fulfilOrder: (id: string) => field(request(FulfilOrderDocument, { id }), (d: FulfilOrderMutation) => d.fulfilOrder),
    refundOrder: (id: string) => field(request(RefundOrderDocument, { id }), (d: RefundOrderMutation) => d.refundOrder),
    cancelOrder: (id: string) => field(request(CancelOrderDocument, { id }), (d: CancelOrderMutation) => d.cancelOrder),
    /** Hands a PAID or FULFILLING order to a carrier; the order turns SHIPPED moments later (by event). */
    createShipment: (orderId: string, carrier: string, trackingNumber: string) =>
      field(request(CreateShipmentDocument, { orderId, carrier, trackingNumber }), (d: CreateShipmentMutation) => d.createShipment),
    /** A SHIPPED shipment arrived; its order turns DELIVERED moments later (by event). */
    markDelivered: (shipmentId: string) =>
      field(request(MarkDeliveredDocument, { shipmentId }), (d: MarkDeliveredMutation) => d.markDelivered),
    /** Sales over whole UTC days, `from`'s day through `to`'s day (ISO-8601 dates or date-times). */
    salesReport: (variables: SalesReportQueryVariables) =>
      field(request(SalesReportDocument, variables), (d: SalesReportQuery) => d.salesReport),
    /** How far a deleted account's erasure has got: which subgraphs have erased, which have yet to. */
    accountDeletion: (userId: string) => field(request(AccountDeletionDocument, { userId }), (d: AccountDeletionQuery) => d.accountDeletion),
    /** A promotion code shoppers can apply to their carts. */
    createPromotion: (input: PromotionInput) =>
      field(request(CreatePromotionDocument, { input }), (d: CreatePromotionMutation) => d.createPromotion),
    /** The promotion with this code (any case), or null. */
    promotion: (code: string) => field(request(PromotionDocument, { code }), (d: PromotionQuery) => d.promotion),
    promotions: (variables: PromotionsQueryVariables = {}) => field(request(PromotionsDocument, variables), (d: PromotionsQuery) => d.promotions),
    /** A fixed list price for a product in a currency other than its own. */
    setProductPrice: (productId: string, price: MoneyInput) =>
      field(request(SetProductPriceDocument, { productId, price }), (d: SetProductPriceMutation) => d.setProductPrice),
    /** 1 `from` = `rate` `to`; prices without a fixed price in `to` convert with it. */
    setExchangeRate: (from: string, to: string, rate: string) =>
      field(request(SetExchangeRateDocument, { from, to, rate }), (d: SetExchangeRateMutation) => d.setExchangeRate),
    exchangeRates: () => field(request(ExchangeRatesDocument, {}), (d: ExchangeRatesQuery) => d.exchangeRates),
    /** Events a consumer group gave up on after its last try, oldest first. */
    deadLetters: (options: { group?: string; first?: number } = {}) => {
      const query = new URLSearchParams();
      if (options.group !== undefined) query.set('group', options.group);
      if (options.first !== undefined) query.set('limit', String(options.first));
      return field(adminRequest<{ deadLetters: DeadLetter[] }>(`/admin/events/dead-letters?${query}`, 'GET'), (d) => d.deadLetters);
    },
    /** Hands a dead letter back to its group, which tries it afresh. */
    replayDeadLetter: (id: string) =>
      field(adminRequest<{ replayed: DeadLetter }>(`/admin/events/dead-letters/${encodeURIComponent(id)}/replay`, 'POST'), (d) => d.replayed),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;

async function field<TData, TField>(result: Promise<AdminResult<TData>>, pick: (data: TData) => TField): Promise<AdminResult<TField>> {
  const settled = await result;
  return settled.ok ? { ok: true, data: pick(settled.data) } : settled;
}

function failure(code: string, message: string): { ok: false; errors: AdminApiError[] } {
  return { ok: false, errors: [{ code, message }] };
}

function toApiError(error: GraphQLErrorBody): AdminApiError {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
  const message = typeof error.message === 'string' ? error.message : 'unknown error';
  const field = error.extensions?.field;
  return typeof field === 'string' ? { code, message, field } : { code, message };
}
