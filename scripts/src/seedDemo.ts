import { existsSync, writeFileSync } from 'node:fs';

export const DEMO_CUSTOMER = { email: 'customer@shop.local', password: 'customer-demo-password', name: 'Demo Customer' };

// Round illustrative rates, not market data: an admin sets real ones (setExchangeRate).
const DEMO_EXCHANGE_RATES: Record<string, string> = { USD: '1.08', GBP: '0.85', CHF: '0.95', SEK: '11.5', PLN: '4.3', JPY: '160' };

interface Credentials {
  email: string;
  password: string;
}

/**
 * Seeds what the demo needs through the public API, as an admin would: stock for every
 * catalog product, exchange rates from the store's EUR to every currency the storefront offers
 * (so its currency switcher has prices to show) and a demo customer. Runs once per data directory (a marker file records it).
 */
export async function seedDemo(options: {
  routerUrl: string;
  admin: Credentials;
  markerPath: string;
  log: (line: string) => void;
}): Promise<{ products: number; seededNow: boolean }> {
  const call = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(options.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    return body;
  };
  const must = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const body = await call(query, variables, token);
    if (body.errors?.length) throw new Error(`demo seed failed: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };

  const ids: string[] = [];
  let after: string | null = null;
  do {
    const data: any = await must(
      'query($after: String) { products(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    ids.push(...data.products.edges.map((e: { node: { id: string } }) => e.node.id));
    after = data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null;
  } while (after);

  if (existsSync(options.markerPath)) return { products: ids.length, seededNow: false };

  const login = await must(
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { ...options.admin },
  );
  const token: string = login.login.accessToken;
  // Deterministic demo levels: most products stocked, every 17th sold out, to show both states.
  const levels = ids.map((productId, i) => ({ productId, quantity: i % 17 === 5 ? 0 : 5 + ((i * 37) % 80) }));
  for (let i = 0; i < levels.length; i += 100) {
    await must(
      'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }',
      { levels: levels.slice(i, i + 100) },
      token,
    );
  }
  for (const [to, rate] of Object.entries(DEMO_EXCHANGE_RATES)) {
    await must('mutation($to: String!, $rate: String!) { setExchangeRate(from: "EUR", to: $to, rate: $rate) { to } }', { to, rate }, token);
  }
  const registered = await call(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: DEMO_CUSTOMER },
  );
  const code = registered.errors?.[0]?.extensions?.code;
  if (registered.errors?.length && code !== 'CONFLICT') {
    throw new Error(`demo customer: ${registered.errors.map((e) => e.message).join('; ')}`);
  }
  writeFileSync(options.markerPath, JSON.stringify({ seededAt: new Date().toISOString(), products: ids.length }));
  options.log(`seeded demo stock for ${ids.length} products, exchange rates and the demo customer`);
  return { products: ids.length, seededNow: true };
}
