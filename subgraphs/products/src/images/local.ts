import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@shop/errors';
import { HttpError, readBody, sendGraphQLError, type RouteHandler } from '@shop/subgraph-kit';
import { UPLOAD_TTL_SECONDS, looksLike, parseImageKey, type ImageObject } from './rules.js';
import { keyUnder, type ImageStore, type SignedUpload } from './store.js';

export const UPLOAD_PATH = '/uploads/';
export const IMAGE_PATH = '/images/';

export interface LocalImageStoreOptions {
  /** Where browsers reach this subgraph, e.g. http://localhost:4002. */
  publicUrl: string;
  /** Pictures are kept under `<dataDir>/images/`; without it, in memory. */
  dataDir?: string | undefined;
  /** Checks expiry; tests move it. */
  clock: () => Date;
  /** Signs upload URLs; a fresh one per process (a URL lives 15 minutes, an image forever). */
  secret?: Buffer;
}

interface Blobs {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  has(key: string): Promise<boolean>;
}

/**
 * The embedded default for S3 with the same rules: PUT to a URL signed with HMAC-SHA256 over the
 * key (which fixes the type), the exact size and the expiry. The subgraph serves both the upload
 * path and the pictures, publicly: the signature is the upload's only credential, as with S3.
 */
export function createLocalImageStore(options: LocalImageStoreOptions): ImageStore {
  const secret = options.secret ?? randomBytes(32);
  const base = options.publicUrl.replace(/\/+$/, '');
  const blobs = options.dataDir === undefined ? memoryBlobs() : fileBlobs(join(options.dataDir, 'images'));
  const sign = (key: string, size: number, expires: number) =>
    createHmac('sha256', secret).update(`PUT\n${key}\n${size}\n${expires}`).digest('base64url');

  const upload: RouteHandler = async (req, res) => {
    if (req.method === 'OPTIONS') return preflight(res);
    if (req.method !== 'PUT') return refuse(req, res, 405, 'BAD_REQUEST', 'Upload with PUT');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = decodeURIComponent(url.pathname.slice(UPLOAD_PATH.length));
    const parsed = parseImageKey(key);
    const size = Number(url.searchParams.get('size'));
    const expires = Number(url.searchParams.get('expires'));
    const given = Buffer.from(url.searchParams.get('signature') ?? '', 'base64url');
    const expected = Buffer.from(sign(key, size, expires), 'base64url');
    if (!parsed || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(req, res, 403, 'FORBIDDEN', 'The upload signature does not match this URL');
    }
    if (options.clock().getTime() >= expires * 1000) {
      return refuse(req, res, 403, 'FORBIDDEN', `This upload URL expired at ${new Date(expires * 1000).toISOString()}: ask for a new one`);
    }
    // What S3 does for signed headers: anything but the agreed type and size is refused.
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== parsed.contentType) {
      return refuse(req, res, 403, 'FORBIDDEN', `This upload URL takes Content-Type ${parsed.contentType}, not ${JSON.stringify(type)}`);
    }
    if (req.headers['content-length'] !== String(size)) {
      return refuse(req, res, 403, 'FORBIDDEN', `This upload URL takes exactly ${size} bytes (Content-Length: ${size})`);
    }
    let bytes: Buffer;
    try {
      bytes = await readBody(req, size);
    } catch (error) {
      if (error instanceof HttpError) return refuse(req, res, error.status, 'BAD_REQUEST', error.message);
      throw error;
    }
    if (bytes.length !== size) return refuse(req, res, 400, 'BAD_REQUEST', `Expected ${size} bytes, got ${bytes.length}`);
    if (!looksLike(parsed.contentType, bytes)) {
      return refuse(req, res, 415, 'BAD_REQUEST', `The bytes are not a ${parsed.contentType} picture`);
    }
    await blobs.put(key, bytes);
    res.writeHead(200, { ...CORS, 'content-length': 0 });
    res.end();
  };

  const read: RouteHandler = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 405, 'BAD_REQUEST', 'Read pictures with GET');
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.slice(IMAGE_PATH.length));
    const parsed = parseImageKey(key);
    const bytes = parsed ? await blobs.get(key) : null;
    if (!parsed || !bytes) return refuse(req, res, 404, 'NOT_FOUND', 'No such picture');
    res.writeHead(200, {
      'content-type': parsed.contentType,
      'content-length': bytes.length,
      // A key is never reused, so a picture never changes.
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
      ...CORS,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };

  return {
    kind: 'local',
    async signUpload(object: ImageObject, now: Date): Promise<SignedUpload> {
      const expires = Math.floor(now.getTime() / 1000) + UPLOAD_TTL_SECONDS;
      const query = new URLSearchParams({ size: String(object.byteSize), expires: String(expires), signature: sign(object.key, object.byteSize, expires) });
      return {
        url: `${base}${UPLOAD_PATH}${object.key}?${query}`,
        method: 'PUT',
        headers: [
          { name: 'Content-Type', value: object.contentType },
          { name: 'Content-Length', value: String(object.byteSize) },
        ],
        expiresAt: new Date(expires * 1000),
      };
    },
    urlOf: (key) => `${base}${IMAGE_PATH}${key}`,
    keyOf(url) {
      const key = keyUnder(`${base}${IMAGE_PATH}`, url);
      return key !== null && parseImageKey(key) ? key : null;
    },
    exists: (key) => blobs.has(key),
    routes: { [UPLOAD_PATH]: upload, [IMAGE_PATH]: read },
  };
}

// Signed URLs are bearer credentials, so any origin (the dashboard on :3001) may use them.
const CORS = { 'access-control-allow-origin': '*' };

function preflight(res: ServerResponse): void {
  res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' });
  res.end();
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  // The client may still be sending a body we will not read: close instead of draining it.
  res.setHeader('connection', 'close');
  for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
  sendGraphQLError(req, res, { status, code, message });
}

function memoryBlobs(): Blobs {
  const stored = new Map<string, Buffer>();
  return {
    put: async (key, bytes) => void stored.set(key, bytes),
    get: async (key) => stored.get(key) ?? null,
    has: async (key) => stored.has(key),
  };
}

function fileBlobs(directory: string): Blobs {
  const path = (key: string) => join(directory, key);
  return {
    async put(key, bytes) {
      await mkdir(dirname(path(key)), { recursive: true });
      // Written aside then renamed, so a reader never sees half a picture.
      const partial = `${path(key)}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path(key));
    },
    async get(key) {
      return readFile(path(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
    },
    async has(key) {
      return stat(path(key)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      );
    },
  };
}
