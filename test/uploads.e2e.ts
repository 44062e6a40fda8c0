import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { main as adminCli } from '../clients/admin/src/cli.js';
import { createAdminClient, uploadProductImage, UPLOAD_REFUSED } from '../clients/admin/src/index.js';
import { TINY_PNG, pngOfSize } from '../subgraphs/products/test/pictures.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13's picture uploads through the router, with the admin SDK: a signed upload to the
// embedded store (products serves it when S3 is not configured), the picture attached and read
// back by a shopper, and refusals for a wrong type or size with the argument named.
let sg: Supergraph;
let admin: string;
let product: { id: string; name: string };

const IMAGES = 'query($id: ID!) { product(id: $id) { images { url alt } } }';
const UPLOAD = 'mutation($p: ID!, $t: String!, $s: Int!) { createProductImageUpload(productId: $p, contentType: $t, byteSize: $s) { uploadUrl } }';

beforeAll(async () => {
  sg = await startSupergraph();
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password }))
    .login.accessToken;
  product = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id name } } } }')).products.edges[0].node;
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('product picture uploads through the router', () => {
  it('an admin uploads a PNG with the SDK; shoppers see it on the product and can load it', async () => {
    const client = createAdminClient({ url: sg.url, token: admin });
    const uploaded = await uploadProductImage(client, product.id, TINY_PNG, { contentType: 'image/png', alt: `${product.name}, from above` });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.errors));
    const picture = uploaded.data.images.at(-1)!;
    expect(picture.alt).toBe(`${product.name}, from above`);

    // Anonymous, as the storefront asks.
    const seen = (await graphqlOk(sg.url, IMAGES, { id: product.id })).product.images;
    expect(seen.at(-1)).toEqual(picture);
    const served = await fetch(picture.url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG);
  });

  it('refuses a wrong type or more than 5 MB with BAD_USER_INPUT naming the argument, and bytes other than signed', async () => {
    const gif = await graphql(sg.url, UPLOAD, { p: product.id, t: 'image/gif', s: 100 }, { token: admin });
    expect(gif.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contentType' });
    const huge = await graphql(sg.url, UPLOAD, { p: product.id, t: 'image/png', s: 5 * 1024 * 1024 + 1 }, { token: admin });
    expect(huge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'byteSize' });

    // Signed for 100 bytes, sent as 200: the store refuses.
    const signed = (await graphqlOk(sg.url, UPLOAD, { p: product.id, t: 'image/png', s: 100 }, { token: admin })).createProductImageUpload;
    expect((await fetch(signed.uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: pngOfSize(200) })).status).toBe(403);

    // A PDF labelled PNG: the SDK reports the store's refusal and attaches nothing.
    const before = (await graphqlOk(sg.url, IMAGES, { id: product.id })).product.images;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100)]);
    const refused = await uploadProductImage(createAdminClient({ url: sg.url, token: admin }), product.id, pdf, { contentType: 'image/png' });
    expect(refused.ok ? [] : refused.errors.map((e) => e.code)).toEqual([UPLOAD_REFUSED]);
    expect((await graphqlOk(sg.url, IMAGES, { id: product.id })).product.images).toEqual(before);
  });

  it('is for admins: a customer is FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const customer = (await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', {
      i: { email: 'uploader@e2e.test', password: 'a-strong-password-1', name: 'Una' },
    })).register.accessToken;
    expect(errorCodes(await graphql(sg.url, UPLOAD, { p: product.id, t: 'image/png', s: 10 }, { token: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(sg.url, UPLOAD, { p: product.id, t: 'image/png', s: 10 }))).toEqual(['UNAUTHENTICATED']);
  });

  it('the admin CLI uploads a picture from a file path, and a GIF is refused with the API\'s reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upload-cli-'));
    try {
      const png = join(dir, 'side.png');
      const gif = join(dir, 'animated.gif');
      writeFileSync(png, TINY_PNG);
      writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00'));
      const run = async (argv: string[]) => {
        let stdout = '';
        let stderr = '';
        const code = await adminCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { HOME: dir, SHOP_API_URL: sg.url, SHOP_ADMIN_TOKEN: admin } });
        return { code, stdout, stderr };
      };

      const uploaded = await run(['products', 'upload-image', product.id, png, '--alt', 'Side view']);
      expect(uploaded).toMatchObject({ code: 0, stderr: '' });
      const seen = (await graphqlOk(sg.url, IMAGES, { id: product.id })).product.images.at(-1);
      expect(seen.alt).toBe('Side view');
      expect(uploaded.stdout).toContain(seen.url);
      expect((await fetch(seen.url)).status).toBe(200);

      const refused = await run(['products', 'upload-image', product.id, gif]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('BAD_USER_INPUT (contentType)');
      expect((await run(['products', 'upload-image', product.id, join(dir, 'missing.png')])).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
