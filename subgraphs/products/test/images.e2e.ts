import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, freePort, graphql, graphqlOk } from '@shop/testing';
import { MAX_IMAGE_BYTES } from '../src/images/rules.js';
import { startProducts, type RunningProducts } from './harness.js';
import { TINY_PNG, pngOfSize } from './pictures.js';

// The embedded picture store over HTTP: signed, expiring PUT URLs that bind type and size, the
// pictures served back, and `attachProductImage` only for what was really uploaded.
const UPLOAD = `mutation($p: ID!, $t: String!, $s: Int!) {
  createProductImageUpload(productId: $p, contentType: $t, byteSize: $s) { uploadUrl method headers { name value } imageUrl expiresAt }
}`;
const ATTACH = 'mutation($p: ID!, $u: String!, $a: String) { attachProductImage(productId: $p, imageUrl: $u, alt: $a) { id images { url alt } } }';

interface Upload {
  uploadUrl: string;
  method: string;
  headers: Array<{ name: string; value: string }>;
  imageUrl: string;
  expiresAt: string;
}

let api: RunningProducts;
let admin: string;
let productId: string;
let now = new Date('2026-03-01T10:00:00Z');

const ask = async (contentType: string, byteSize: number, p = productId): Promise<Upload> =>
  (await graphqlOk(api.url, UPLOAD, { p, t: contentType, s: byteSize }, { token: admin })).createProductImageUpload;

/** PUTs as a browser would: the signed headers (fetch sets Content-Length from the body) unless told otherwise. */
const put = (upload: Upload, body: Buffer, contentType = upload.headers.find((h) => h.name === 'Content-Type')!.value) =>
  fetch(upload.uploadUrl, { method: upload.method, headers: { 'content-type': contentType }, body });

beforeAll(async () => {
  const port = await freePort();
  api = await startProducts({ PORT: String(port), PRODUCTS_PUBLIC_URL: `http://127.0.0.1:${port}` }, { clock: () => now });
  admin = await api.token('ADMIN');
  productId = (await graphqlOk(api.url, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
});

afterAll(async () => {
  await api?.stop();
});

describe('product picture uploads (embedded store)', () => {
  it('takes a PNG through its signed URL, serves it back and attaches it to the product', async () => {
    const upload = await ask('image/png', TINY_PNG.length);
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: [
        { name: 'Content-Type', value: 'image/png' },
        { name: 'Content-Length', value: String(TINY_PNG.length) },
      ],
      expiresAt: '2026-03-01T10:15:00.000Z',
    });
    expect(upload.imageUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/images/products/${productId}/[0-9a-f-]{36}\\.png$`));

    // Nothing to attach before the bytes arrive.
    const early = await graphql(api.url, ATTACH, { p: productId, u: upload.imageUrl }, { token: admin });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageUrl' });

    expect((await put(upload, TINY_PNG)).status).toBe(200);
    const served = await fetch(upload.imageUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG);

    const attached = (await graphqlOk(api.url, ATTACH, { p: productId, u: upload.imageUrl, a: 'Side view' }, { token: admin })).attachProductImage;
    expect(attached.images.at(-1)).toEqual({ url: upload.imageUrl, alt: 'Side view' });
    // Again: the product already shows it.
    const again = (await graphqlOk(api.url, ATTACH, { p: productId, u: upload.imageUrl }, { token: admin })).attachProductImage;
    expect(again.images).toEqual(attached.images);
    const read = await graphqlOk(api.url, 'query($id: ID!) { product(id: $id) { images { url alt } } }', { id: productId });
    expect(read.product.images).toEqual(attached.images);
  });

  it('refuses other types and more than 5 MB before signing anything, naming the argument', async () => {
    for (const type of ['image/gif', 'application/pdf', 'image/svg+xml']) {
      const refused = await graphql(api.url, UPLOAD, { p: productId, t: type, s: 100 }, { token: admin });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contentType' });
    }
    for (const size of [MAX_IMAGE_BYTES + 1, 0, -1]) {
      const refused = await graphql(api.url, UPLOAD, { p: productId, t: 'image/jpeg', s: size }, { token: admin });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'byteSize' });
    }
    // Exactly 5 MB is allowed, and arrives whole.
    const largest = await ask('image/png', MAX_IMAGE_BYTES);
    expect((await put(largest, pngOfSize(MAX_IMAGE_BYTES))).status).toBe(200);
    expect((await fetch(largest.imageUrl, { method: 'HEAD' })).headers.get('content-length')).toBe(String(MAX_IMAGE_BYTES));
  });

  it('holds the upload to the signed type, size and bytes: anything else is a 4xx and nothing is stored', async () => {
    const upload = await ask('image/png', 2000);
    expect((await put(upload, pngOfSize(2000), 'image/jpeg')).status).toBe(403);
    expect((await put(upload, pngOfSize(2001))).status).toBe(403);
    expect((await put(upload, pngOfSize(1999))).status).toBe(403);
    const biggerSigned = upload.uploadUrl.replace(/size=2000/, 'size=4000');
    expect((await fetch(biggerSigned, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: pngOfSize(4000) })).status).toBe(403);
    // Right type and size on the label, but the bytes are a PDF.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000 - 9)]);
    expect((await put(upload, pdf)).status).toBe(415);
    expect((await fetch(upload.imageUrl)).status).toBe(404);
  });

  it('refuses an upload URL once it has expired', async () => {
    const upload = await ask('image/webp', 64);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(48)]);
    now = new Date(now.getTime() + 15 * 60 * 1000);
    const refused = await put(upload, webp);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain('expired');
    expect((await fetch(upload.imageUrl)).status).toBe(404);
    // A fresh URL works.
    expect((await put(await ask('image/webp', 64), webp)).status).toBe(200);
  });

  it('is for admins only, for existing products, and attaches only its own uploads of that product', async () => {
    const customer = await api.token('CUSTOMER');
    expect(errorCodes(await graphql(api.url, UPLOAD, { p: productId, t: 'image/png', s: 10 }, { token: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(api.url, UPLOAD, { p: productId, t: 'image/png', s: 10 }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(api.url, UPLOAD, { p: 'ffffffffffffffffffffffff', t: 'image/png', s: 10 }, { token: admin }))).toEqual(['NOT_FOUND']);

    const other = (await graphqlOk(api.url, '{ products(first: 2) { edges { node { id } } } }')).products.edges[1].node.id;
    const upload = await ask('image/png', TINY_PNG.length, other);
    await put(upload, TINY_PNG);
    for (const url of [upload.imageUrl, 'https://images.example.com/elsewhere.png']) {
      const refused = await graphql(api.url, ATTACH, { p: productId, u: url }, { token: admin });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageUrl' });
    }
  });
});
