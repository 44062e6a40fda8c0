import { describe, expect, it } from '@jest/globals';
import { plannedImage } from '../src/images/rules.js';
import { createS3ImageStore } from '../src/images/s3.js';
import { TINY_PNG, pngOfSize } from './pictures.js';

// What the S3 adapter signs, checked without a server: S3 enforces the type and the size only if
// the presigned URL's signature covers them. Against a real bucket (S3_BUCKET and credentials
// set in the environment), the contract below proves S3 then refuses what the rules refuse.
const PRODUCT = '64f000000000000000000001';
const at = new Date('2026-03-01T10:00:00Z');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('S3 presigned uploads', () => {
  it('signs a PUT that binds Content-Type and Content-Length for 15 minutes, with no checksum of an empty body', async () => {
    const store = createS3ImageStore({ bucket: 'shop-images', region: 'eu-central-1', endpoint: 'http://minio:9000', publicEndpoint: 'http://localhost:9000', credentials });
    const object = plannedImage(PRODUCT, 'image/png', 1234);
    const upload = await store.signUpload(object, at);
    const url = new URL(upload.url);

    // Signed for the host browsers use, path-style (the bucket in the path), as MinIO wants.
    expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:9000/shop-images/${object.key}`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260301/eu-central-1/s3/aws4_request',
      'X-Amz-Date': '20260301T100000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'content-length;content-type;host',
    });
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: [
        { name: 'Content-Type', value: 'image/png' },
        { name: 'Content-Length', value: '1234' },
      ],
      expiresAt: new Date('2026-03-01T10:15:00Z'),
    });

    // Another size or type is another signature.
    const other = new URL((await store.signUpload({ ...object, byteSize: 1235 }, at)).url);
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('reads pictures at the public endpoint and knows its own URLs back', () => {
    const store = createS3ImageStore({ bucket: 'shop-images', region: 'eu-central-1', endpoint: 'http://minio:9000', publicEndpoint: 'http://localhost:9000', credentials });
    const { key } = plannedImage(PRODUCT, 'image/webp', 10);
    expect(store.urlOf(key)).toBe(`http://localhost:9000/shop-images/${key}`);
    expect(store.keyOf(store.urlOf(key))).toBe(key);
    expect(store.keyOf(`http://minio:9000/shop-images/${key}`)).toBeNull();
    expect(store.keyOf('http://localhost:9000/shop-images/products/../../etc/passwd')).toBeNull();

    const aws = createS3ImageStore({ bucket: 'shop-images', region: 'eu-west-1', credentials });
    expect(aws.urlOf(key)).toBe(`https://shop-images.s3.eu-west-1.amazonaws.com/${key}`);
  });
});

// The contract, against a real S3-compatible service: only when one is configured here.
const live = process.env.S3_BUCKET;
(live ? describe : describe.skip)(`S3 contract (bucket ${live ?? 'unset'})`, () => {
  const store = () =>
    createS3ImageStore({
      bucket: live!,
      region: process.env.S3_REGION ?? 'us-east-1',
      endpoint: process.env.S3_ENDPOINT,
      publicEndpoint: process.env.S3_PUBLIC_ENDPOINT,
    });
  const put = (url: string, type: string, body: Buffer) => fetch(url, { method: 'PUT', headers: { 'content-type': type }, body });

  it('accepts the signed upload and stores it; refuses another type, another size and an expired URL', async () => {
    const s3 = store();
    const object = plannedImage(PRODUCT, 'image/png', TINY_PNG.length);
    const upload = await s3.signUpload(object, new Date());
    expect((await put(upload.url, 'image/jpeg', TINY_PNG)).status).toBe(403);
    expect((await put(upload.url, 'image/png', pngOfSize(TINY_PNG.length + 1))).status).toBe(403);
    expect(await s3.exists(object.key)).toBe(false);
    expect((await put(upload.url, 'image/png', TINY_PNG)).status).toBe(200);
    expect(await s3.exists(object.key)).toBe(true);

    const expired = await s3.signUpload(plannedImage(PRODUCT, 'image/png', TINY_PNG.length), new Date(Date.now() - 16 * 60 * 1000));
    expect((await put(expired.url, 'image/png', TINY_PNG)).status).toBe(403);
  });
});
