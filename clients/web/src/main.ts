import './styles.css';
import { gql, session, subscribe, type AuthPayload, type Subscription } from './api.js';

// A small storefront without a framework: hash routes, one render function per view, DOM built
// with `h` (text always set as text, never as HTML). Stable data-testid attributes for tests.

interface Money {
  amount: string;
  currencyCode: string;
}
interface ProductCard {
  id: string;
  name: string;
  price: Money;
  images: Array<{ url: string; alt: string | null }>;
  /** Null while inventory cannot be reached: the rest of the page still shows. */
  stock: { available: number } | null;
}
function stockLabel(stock: ProductCard['stock']): string {
  if (!stock) return 'Stock unknown right now';
  return stock.available > 0 ? `${stock.available} in stock` : 'Out of stock';
}

interface ProductDetail extends ProductCard {
  description: string | null;
  inStock: boolean | null;
  attributes: { brand: string | null; color: string | null } | null;
}
interface Cart {
  id: string;
  itemCount: number;
  subtotal: Money;
  items: Array<{ quantity: number; unitPrice: Money; lineTotal: Money; product: { id: string; name: string } }>;
}
interface Order {
  id: string;
  orderNumber: string;
  status: string;
  total: Money;
}

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'testid') el.dataset.testid = String(value);
    else if (key in el && key !== 'list' && key !== 'form') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const app = document.getElementById('app')!;
const money = (m: Money) => {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));
  } catch {
    return `${m.amount} ${m.currencyCode}`;
  }
};
const go = (hash: string) => {
  if (location.hash === hash) void render();
  else location.hash = hash;
};

// ---- shared chrome: header, error banner ----------------------------------------------------

const errorBox = h('div', { className: 'error', testid: 'error', role: 'alert', hidden: true });
const cartCount = h('span', { testid: 'cart-count' }, '0');
const account = h('span', { className: 'account' });
const searchInput = h('input', { type: 'search', name: 'q', placeholder: 'Search products', testid: 'search-input', 'aria-label': 'Search' });
const main = h('main');

function showError(error: unknown): void {
  errorBox.textContent = error instanceof Error ? error.message : String(error);
  errorBox.hidden = false;
}
function clearError(): void {
  errorBox.hidden = true;
  errorBox.textContent = '';
}
/** Runs an action, showing its error (the GraphQL message) to the user instead of throwing. */
async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  }
}

function renderAccount(): void {
  account.replaceChildren();
  if (session.email) {
    account.append(
      h('span', { testid: 'account-email' }, session.email),
      ' ',
      h('button', { type: 'button', className: 'link', testid: 'sign-out', onclick: () => (session.signOut(), renderAccount(), void refreshCartCount(), go('#/')) }, 'Sign out'),
    );
  } else {
    account.append(h('a', { href: '#/signin', testid: 'sign-in-link' }, 'Sign in'));
  }
}

app.append(
  h(
    'header',
    {},
    h('a', { href: '#/', className: 'brand', testid: 'home-link' }, 'Shop'),
    h(
      'form',
      {
        className: 'search',
        role: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          search = { query: searchInput.value.trim(), brand: null, color: null, cursors: [null] };
          go(`#/?q=${encodeURIComponent(search.query)}`);
        },
      },
      searchInput,
      h('button', { type: 'submit', testid: 'search-submit' }, 'Search'),
    ),
    h('a', { href: '#/cart', testid: 'cart-link' }, 'Cart (', cartCount, ')'),
    account,
  ),
  errorBox,
  main,
);

// ---- cart helpers ------------------------------------------------------------------------------

const CART_FIELDS = 'id itemCount subtotal { amount currencyCode } items { quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } product { id name } }';

async function loadCart(): Promise<Cart | null> {
  if (session.token) return (await gql<{ cart: Cart | null }>(`query { cart { ${CART_FIELDS} } }`)).cart;
  const id = session.guestCartId;
  if (!id) return null;
  const cart = (await gql<{ cart: Cart | null }>(`query($id: ID) { cart(id: $id) { ${CART_FIELDS} } }`, { id })).cart;
  if (!cart) session.guestCartId = null;
  return cart;
}

async function refreshCartCount(cart?: Cart | null): Promise<void> {
  const current = cart === undefined ? await loadCart().catch(() => null) : cart;
  cartCount.textContent = String(current?.itemCount ?? 0);
}

/** Guest carts are kept by id; a signed-in user's cart is theirs. */
async function cartMutation(field: 'addToCart' | 'updateCartItem' | 'removeCartItem', args: Record<string, unknown>): Promise<Cart> {
  const cartId = session.token ? null : session.guestCartId;
  const params = Object.keys(args).map((k) => `$${k}: ${k === 'productId' ? 'ID!' : 'Int!'}`);
  const call = Object.keys(args).map((k) => `${k}: $${k}`);
  const data = await gql<Record<string, Cart>>(
    `mutation($cartId: ID, ${params.join(', ')}) { ${field}(cartId: $cartId, ${call.join(', ')}) { ${CART_FIELDS} } }`,
    { cartId, ...args },
  );
  const cart = data[field]!;
  if (!session.token) session.guestCartId = cart.id;
  await refreshCartCount(cart);
  return cart;
}

// ---- views ---------------------------------------------------------------------------------------

let search = { query: '', brand: null as string | null, color: null as string | null, cursors: [null] as Array<string | null> };
const PAGE_SIZE = 12;

async function viewSearch(params: URLSearchParams): Promise<void> {
  const query = params.get('q') ?? '';
  if (query !== search.query) search = { query, brand: null, color: null, cursors: [null] };
  searchInput.value = query;
  const filter: Record<string, string> = {};
  if (search.brand) filter.brand = search.brand;
  if (search.color) filter.color = search.color;
  const after = search.cursors[search.cursors.length - 1] ?? null;
  const data = await gql<{
    searchProducts: {
      totalCount: number;
      facets: Array<{ field: string; values: Array<{ value: string; count: number }> }>;
      nodes: ProductCard[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(
    `query($q: String, $filter: SearchFilter, $first: Int, $after: String) {
      searchProducts(query: $q, filter: $filter, first: $first, after: $after) {
        totalCount facets { field values { value count } }
        nodes { id name price { amount currencyCode } images { url alt } stock { available } }
        pageInfo { hasNextPage endCursor } } }`,
    { q: query || null, filter, first: PAGE_SIZE, after },
  );
  const result = data.searchProducts;
  const page = search.cursors.length;

  const facetList = h('aside', { className: 'facets', testid: 'facets' });
  for (const field of ['brand', 'color'] as const) {
    const facet = result.facets.find((f) => f.field === field);
    if (!facet || facet.values.length === 0) continue;
    const selected = search[field];
    facetList.append(
      h('h3', {}, field === 'brand' ? 'Brand' : 'Colour'),
      h(
        'ul',
        {},
        ...facet.values.map((v) =>
          h(
            'li',
            {},
            h(
              'label',
              {},
              h('input', {
                type: 'checkbox',
                checked: selected === v.value,
                testid: `facet-${field}`,
                'data-value': v.value,
                onchange: () => {
                  search[field] = selected === v.value ? null : v.value;
                  search.cursors = [null];
                  void render();
                },
              }),
              ` ${v.value} (${v.count})`,
            ),
          ),
        ),
      ),
    );
  }

  const grid = h(
    'ul',
    { className: 'grid', testid: 'product-grid' },
    ...result.nodes.map((p) =>
      h(
        'li',
        { className: 'card', testid: 'product-card', 'data-product-id': p.id },
        h('a', { href: `#/product/${encodeURIComponent(p.id)}`, testid: 'product-link' }, picture(p), h('span', { className: 'name' }, p.name)),
        h('span', { className: 'price' }, money(p.price)),
        h('span', { className: p.stock && p.stock.available > 0 ? 'stock' : 'stock out' }, stockLabel(p.stock)),
      ),
    ),
  );
  const pager = h(
    'nav',
    { className: 'pager' },
    h('button', { type: 'button', testid: 'page-prev', disabled: page <= 1, onclick: () => (search.cursors.pop(), void render()) }, '‹ Previous'),
    h('span', { testid: 'page-number' }, `Page ${page}`),
    h(
      'button',
      {
        type: 'button',
        testid: 'page-next',
        disabled: !result.pageInfo.hasNextPage,
        onclick: () => (search.cursors.push(result.pageInfo.endCursor), void render()),
      },
      'Next ›',
    ),
  );
  main.replaceChildren(
    h('div', { className: 'browse' }, facetList, h('section', {}, h('p', { testid: 'result-count' }, `${result.totalCount} products${query ? ` for “${query}”` : ''}`), result.nodes.length ? grid : h('p', { testid: 'no-results' }, 'Nothing matches.'), pager)),
  );
}

function picture(p: { name: string; images: Array<{ url: string; alt: string | null }> }): HTMLElement {
  const box = h('span', { className: 'picture', 'aria-hidden': 'true' }, p.name.slice(0, 1));
  const image = p.images[0];
  if (image) {
    const img = h('img', { src: image.url, alt: image.alt ?? p.name, loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', () => img.remove());
    box.append(img);
  }
  return box;
}

async function viewProduct(id: string): Promise<void> {
  const data = await gql<{ product: ProductDetail | null }>(
    `query($id: ID!) { product(id: $id) { id name description price { amount currencyCode } images { url alt }
      inStock stock { available } attributes { brand color } } }`,
    { id },
  );
  const p = data.product;
  if (!p) {
    main.replaceChildren(h('p', { testid: 'not-found' }, 'This product does not exist.'));
    return;
  }
  const quantity = h('input', { type: 'number', min: '1', max: '99', value: '1', testid: 'quantity', 'aria-label': 'Quantity' });
  const added = h('p', { testid: 'added', className: 'note', hidden: true });
  main.replaceChildren(
    h(
      'article',
      { className: 'product', testid: 'product-detail', 'data-product-id': p.id },
      picture(p),
      h(
        'div',
        {},
        h('h1', { testid: 'product-name' }, p.name),
        h('p', { className: 'price', testid: 'product-price' }, money(p.price)),
        h(
          'p',
          { testid: 'product-stock', 'data-in-stock': String(p.inStock), className: p.inStock ? 'stock' : 'stock out' },
          p.inStock === null || !p.stock ? 'Stock unknown right now' : p.inStock ? `In stock (${p.stock.available} available)` : 'Out of stock',
        ),
        p.attributes?.brand ? h('p', {}, `Brand: ${p.attributes.brand}`) : null,
        p.attributes?.color ? h('p', {}, `Colour: ${p.attributes.color}`) : null,
        p.description ? h('p', { className: 'description' }, p.description) : null,
        h(
          'form',
          {
            className: 'row',
            onsubmit: async (event: Event) => {
              event.preventDefault();
              clearError();
              const cart = await attempt(() => cartMutation('addToCart', { productId: p.id, quantity: Number(quantity.value) }));
              if (cart) {
                added.textContent = `Added to your cart (${cart.itemCount} items).`;
                added.hidden = false;
              }
            },
          },
          quantity,
          h('button', { type: 'submit', testid: 'add-to-cart', disabled: !p.inStock }, 'Add to cart'),
        ),
        added,
      ),
    ),
  );
}

async function viewCart(): Promise<void> {
  const cart = await loadCart();
  await refreshCartCount(cart);
  if (!cart || cart.items.length === 0) {
    main.replaceChildren(h('section', { testid: 'cart' }, h('h1', {}, 'Your cart'), h('p', { testid: 'cart-empty' }, 'Your cart is empty.')));
    return;
  }
  const rows = cart.items.map((item) => {
    const qty = h('input', { type: 'number', min: '0', max: '99', value: String(item.quantity), testid: 'cart-quantity', 'aria-label': 'Quantity' });
    qty.addEventListener('change', async () => {
      clearError();
      if (await attempt(() => cartMutation('updateCartItem', { productId: item.product.id, quantity: Number(qty.value) }))) await render();
    });
    return h(
      'tr',
      { testid: 'cart-item', 'data-product-id': item.product.id },
      h('td', {}, h('a', { href: `#/product/${encodeURIComponent(item.product.id)}` }, item.product.name)),
      h('td', {}, money(item.unitPrice)),
      h('td', {}, qty),
      h('td', { testid: 'line-total' }, money(item.lineTotal)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            className: 'link',
            testid: 'cart-remove',
            onclick: async () => {
              clearError();
              if (await attempt(() => cartMutation('removeCartItem', { productId: item.product.id }))) await render();
            },
          },
          'Remove',
        ),
      ),
    );
  });
  main.replaceChildren(
    h(
      'section',
      { testid: 'cart' },
      h('h1', {}, 'Your cart'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', {}, 'Price'), h('th', {}, 'Qty'), h('th', {}, 'Total'), h('th', {}))), h('tbody', {}, ...rows)),
      h('p', { className: 'subtotal' }, 'Subtotal: ', h('strong', { testid: 'cart-subtotal' }, money(cart.subtotal))),
      h('button', { type: 'button', testid: 'checkout', onclick: () => go(session.token ? '#/checkout' : '#/signin?next=checkout') }, 'Checkout'),
    ),
  );
}

async function afterSignIn(auth: AuthPayload, next: string | null): Promise<void> {
  session.signIn(auth);
  const guest = session.guestCartId;
  if (guest) {
    // The guest cart joins the account's cart; then it is gone.
    await gql<{ mergeCart: { id: string } }>('mutation($id: ID!) { mergeCart(guestCartId: $id) { id } }', { id: guest });
    session.guestCartId = null;
  }
  renderAccount();
  await refreshCartCount();
  go(next === 'checkout' ? '#/checkout' : '#/');
}

function viewSignIn(params: URLSearchParams): void {
  const next = params.get('next');
  const field = (name: string, type: string, testid: string, label: string, extra: Record<string, unknown> = {}) =>
    h('label', {}, label, h('input', { name, type, testid, required: true, ...extra }));
  const signIn = h(
    'form',
    {
      testid: 'sign-in-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearError();
        const form = new FormData(event.target as HTMLFormElement);
        const data = await attempt(() =>
          gql<{ login: AuthPayload }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id email } } }', { e: form.get('email'), p: form.get('password') }, { anonymous: true }),
        );
        if (data) await attempt(() => afterSignIn(data.login, next));
      },
    },
    h('h2', {}, 'Sign in'),
    field('email', 'email', 'sign-in-email', 'Email', { autocomplete: 'username' }),
    field('password', 'password', 'sign-in-password', 'Password', { autocomplete: 'current-password' }),
    h('button', { type: 'submit', testid: 'sign-in-submit' }, 'Sign in'),
  );
  const signUp = h(
    'form',
    {
      testid: 'sign-up-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearError();
        const form = new FormData(event.target as HTMLFormElement);
        const input = { name: String(form.get('name') ?? '') || null, email: form.get('email'), password: form.get('password') };
        const data = await attempt(() =>
          gql<{ register: AuthPayload }>('mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id email } } }', { input }, { anonymous: true }),
        );
        if (data) await attempt(() => afterSignIn(data.register, next));
      },
    },
    h('h2', {}, 'Create an account'),
    h('label', {}, 'Name', h('input', { name: 'name', type: 'text', testid: 'sign-up-name', autocomplete: 'name' })),
    field('email', 'email', 'sign-up-email', 'Email', { autocomplete: 'email' }),
    field('password', 'password', 'sign-up-password', 'Password', { autocomplete: 'new-password' }),
    h('button', { type: 'submit', testid: 'sign-up-submit' }, 'Create account'),
  );
  main.replaceChildren(h('div', { className: 'auth' }, signIn, signUp));
}

async function viewCheckout(): Promise<void> {
  if (!session.token) return go('#/signin?next=checkout');
  const cart = await loadCart();
  if (!cart || cart.items.length === 0) return go('#/cart');
  const { me } = await gql<{ me: { addresses: Array<{ id: string; name: string; line1: string; city: string; postalCode: string; country: string; isDefault: boolean }> } | null }>(
    '{ me { addresses { id name line1 city postalCode country isDefault } } }',
  );
  const section = h('section', { className: 'checkout', testid: 'checkout-page' }, h('h1', {}, 'Checkout'), h('p', {}, `${cart.itemCount} items, subtotal `, h('strong', {}, money(cart.subtotal))));
  const ratesBox = h('div', { testid: 'shipping-rates' });
  const addressChoice = h('div', { testid: 'addresses' });
  let addressId: string | null = null;

  const chooseAddress = async (id: string) => {
    addressId = id;
    clearError();
    const rates = await attempt(() =>
      gql<{ shippingRates: Array<{ id: string; name: string; price: Money; estimatedDays: number }> }>(
        'query($a: ID!, $c: ID!) { shippingRates(addressId: $a, cartId: $c) { id name price { amount currencyCode } estimatedDays } }',
        { a: id, c: cart.id },
      ),
    );
    if (!rates) return;
    const place = h('button', { type: 'submit', testid: 'place-order', disabled: true }, 'Place order');
    ratesBox.replaceChildren(
      h(
        'form',
        {
          onchange: () => (place.disabled = false),
          onsubmit: async (event: Event) => {
            event.preventDefault();
            clearError();
            const method = new FormData(event.target as HTMLFormElement).get('rate');
            if (!method || !addressId) return;
            place.disabled = true;
            const data = await attempt(() =>
              gql<{ checkout: Order }>('mutation($input: CheckoutInput!) { checkout(input: $input) { id orderNumber status total { amount currencyCode } } }', {
                input: { cartId: cart.id, shippingAddressId: addressId, shippingMethodId: method, idempotencyKey: idempotencyKey(cart.id) },
              }),
            );
            place.disabled = false;
            if (data) {
              sessionStorage.removeItem(`shop.checkout.${cart.id}`);
              await refreshCartCount(null);
              go(`#/order/${encodeURIComponent(data.checkout.id)}`);
            }
          },
        },
        h('h2', {}, 'Shipping'),
        ...rates.shippingRates.map((r) =>
          h('label', { className: 'rate' }, h('input', { type: 'radio', name: 'rate', value: r.id, testid: `rate-${r.id}` }), ` ${r.name} — ${money(r.price)} (${r.estimatedDays} days)`),
        ),
        place,
      ),
    );
  };

  const addresses = me?.addresses ?? [];
  addressChoice.append(
    h('h2', {}, 'Ship to'),
    ...addresses.map((a) =>
      h(
        'label',
        { className: 'rate' },
        h('input', { type: 'radio', name: 'address', value: a.id, testid: 'address-option', onchange: () => void chooseAddress(a.id) }),
        ` ${a.name}, ${a.line1}, ${a.postalCode} ${a.city}, ${a.country}`,
      ),
    ),
  );
  const input = (name: string, label: string, extra: Record<string, unknown> = {}) =>
    h('label', {}, label, h('input', { name, type: 'text', testid: `address-${name}`, required: name !== 'line2', ...extra }));
  const newAddress = h(
    'form',
    {
      testid: 'address-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearError();
        const form = new FormData(event.target as HTMLFormElement);
        const value = (k: string) => String(form.get(k) ?? '').trim();
        const added = await attempt(() =>
          gql<{ addAddress: { id: string } }>('mutation($input: AddressInput!) { addAddress(input: $input) { id } }', {
            input: { name: value('name'), line1: value('line1'), line2: value('line2') || null, city: value('city'), postalCode: value('postalCode'), country: value('country').toUpperCase() },
          }),
        );
        if (!added) return;
        (event.target as HTMLFormElement).hidden = true;
        addressChoice.append(h('p', { testid: 'address-saved' }, 'Address saved.'));
        await chooseAddress(added.addAddress.id);
      },
    },
    h('h3', {}, addresses.length ? 'Or a new address' : 'Address'),
    input('name', 'Full name'),
    input('line1', 'Street'),
    input('line2', 'More (optional)'),
    input('city', 'City'),
    input('postalCode', 'Postal code'),
    input('country', 'Country (2 letters)', { maxLength: 2, minLength: 2, placeholder: 'DE' }),
    h('button', { type: 'submit', testid: 'address-submit' }, 'Use this address'),
  );
  section.append(addressChoice, newAddress, ratesBox);
  main.replaceChildren(section);
}

/** One idempotency key per cart checkout attempt, so a retry never places a second order. */
function idempotencyKey(cartId: string): string {
  const key = `shop.checkout.${cartId}`;
  let value = sessionStorage.getItem(key);
  if (!value) {
    value = `web-${crypto.randomUUID()}`;
    sessionStorage.setItem(key, value);
  }
  return value;
}

let live: Subscription | null = null;

async function viewOrder(id: string): Promise<void> {
  if (!session.token) return go('#/signin');
  const { order } = await gql<{ order: Order | null }>('query($id: ID!) { order(id: $id) { id orderNumber status total { amount currencyCode } } }', { id });
  if (!order) {
    main.replaceChildren(h('p', { testid: 'not-found' }, 'No such order.'));
    return;
  }
  const status = h('strong', { testid: 'order-status', 'data-status': order.status }, order.status);
  const history = h('ol', { testid: 'status-history' }, h('li', {}, order.status));
  const panel = h('section', { className: 'live', testid: 'live-status', 'data-ws': 'connecting' }, h('h2', {}, 'Order status'), status, history);
  const payment = h('p', { testid: 'payment-status', hidden: true });
  const pay = h(
    'button',
    {
      type: 'button',
      testid: 'pay',
      hidden: order.status !== 'PENDING_PAYMENT',
      onclick: async () => {
        clearError();
        pay.disabled = true;
        // The test card; the status itself arrives over the WebSocket.
        const data = await attempt(() =>
          gql<{ payOrder: { status: string; failureReason: string | null } }>('mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status failureReason } }', { id }),
        );
        pay.disabled = false;
        if (!data) return;
        payment.hidden = false;
        payment.textContent = `Payment ${data.payOrder.status.toLowerCase()}${data.payOrder.failureReason ? `: ${data.payOrder.failureReason}` : ''}`;
        if (data.payOrder.status === 'SUCCEEDED') pay.hidden = true;
      },
    },
    'Pay with test card (Visa)',
  );
  main.replaceChildren(
    h(
      'section',
      { className: 'order', testid: 'order-page', 'data-order-id': order.id },
      h('h1', {}, 'Order ', h('span', { testid: 'order-number' }, order.orderNumber)),
      h('p', {}, 'Total: ', h('strong', { testid: 'order-total' }, money(order.total))),
      pay,
      payment,
      panel,
    ),
  );
  live?.dispose();
  live = subscribe<{ orderStatusChanged: { id: string; status: string } }>(
    'subscription($id: ID) { orderStatusChanged(orderId: $id) { id status } }',
    { id },
    {
      connected: () => (panel.dataset.ws = 'connected'),
      next: ({ orderStatusChanged: change }) => {
        if (change.id !== id || change.status === status.dataset.status) return;
        status.dataset.status = change.status;
        status.textContent = change.status;
        history.append(h('li', {}, change.status));
        if (change.status !== 'PENDING_PAYMENT') pay.hidden = true;
      },
      error: (error) => {
        panel.dataset.ws = 'closed';
        showError(error);
      },
    },
  );
}

// ---- routing -----------------------------------------------------------------------------------

let rendering = 0;
async function render(): Promise<void> {
  const ticket = ++rendering;
  const [path = '', queryString = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(queryString);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'order') {
    live?.dispose();
    live = null;
  }
  clearError();
  main.setAttribute('aria-busy', 'true');
  try {
    if (parts[0] === 'product' && parts[1]) await viewProduct(decodeURIComponent(parts[1]));
    else if (parts[0] === 'cart') await viewCart();
    else if (parts[0] === 'signin') viewSignIn(params);
    else if (parts[0] === 'checkout') await viewCheckout();
    else if (parts[0] === 'order' && parts[1]) await viewOrder(decodeURIComponent(parts[1]));
    else await viewSearch(params);
  } catch (error) {
    if (ticket === rendering) showError(error);
  } finally {
    if (ticket === rendering) main.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', () => void render());
renderAccount();
void refreshCartCount();
void render();
