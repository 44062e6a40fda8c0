// A partner's call, by manifest id through Apollo Client:
//
//   PARTNER_API_KEY=... node clients/partner/dist/main.js ProductBySku '{"sku":"TSH-0001"}'
//
// ROUTER_URL defaults to http://localhost:4000/graphql.
import { CombinedGraphQLErrors } from '@apollo/client';
import { createPartnerClient, partnerOperation, type PartnerOperationName } from './partnerClient.js';

const NAMES: readonly PartnerOperationName[] = ['Categories', 'ProductBySku', 'ProductListing', 'StockBySkus'];
const [name = 'Categories', variables = '{}'] = process.argv.slice(2);
if (!NAMES.includes(name as PartnerOperationName)) {
  process.stderr.write(`No operation ${name}; there are: ${NAMES.join(', ')}\n`);
  process.exit(2);
}

const client = createPartnerClient({
  url: process.env.ROUTER_URL ?? 'http://localhost:4000/graphql',
  apiKey: process.env.PARTNER_API_KEY ?? '',
});
try {
  const { data } = await client.query({ query: partnerOperation(name as PartnerOperationName), variables: JSON.parse(variables) as Record<string, unknown> });
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
} catch (error) {
  const errors = CombinedGraphQLErrors.is(error) ? error.errors.map((e) => `${String(e.extensions?.code)}: ${e.message}`) : [String(error)];
  process.stderr.write(`${errors.join('\n')}\n`);
  process.exit(1);
}
