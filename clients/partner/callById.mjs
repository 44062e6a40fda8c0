// Example partner call: runs a manifest operation by its id, never by its text.
//
//   PARTNER_API_KEY=... node clients/partner/callById.mjs ProductBySku '{"sku":"TSH-0001"}'
//
// ROUTER_URL defaults to http://localhost:4000/graphql.
import { readFileSync } from 'node:fs';

const [name = 'Categories', variables = '{}'] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(new URL('./persisted-query-manifest.json', import.meta.url), 'utf8'));
const operation = manifest.operations.find((op) => op.name === name);
if (!operation) {
  console.error(`No operation ${name} in the manifest; there are: ${manifest.operations.map((op) => op.name).join(', ')}`);
  process.exit(1);
}

const response = await fetch(process.env.ROUTER_URL ?? 'http://localhost:4000/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': process.env.PARTNER_API_KEY ?? '' },
  body: JSON.stringify({
    operationName: operation.name,
    variables: JSON.parse(variables),
    extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } },
  }),
});
console.log(response.status, JSON.stringify(await response.json(), null, 2));
