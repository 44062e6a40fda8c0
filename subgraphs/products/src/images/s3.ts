import { HeadObjectCommand, NotFound, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UPLOAD_TTL_SECONDS, parseImageKey, type ImageObject } from './rules.js';
import { keyUnder, type ImageStore, type SignedUpload } from './store.js';

export interface S3ImageStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, R2, ...) instead of AWS; paths then name the bucket. */
  endpoint?: string | undefined;
  /**
   * Where browsers reach the service when that differs from `endpoint` (a container name inside
   * Docker): upload URLs are signed for it, as the signature covers the host.
   */
  publicEndpoint?: string | undefined;
  /** Default: the SDK's chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web identity, ...). */
  credentials?: S3ClientConfig['credentials'];
}

/**
 * Presigned PUTs: the signature covers Content-Type and Content-Length, so S3 itself refuses a
 * different type or any other size (403 SignatureDoesNotMatch) and anything after `expiresAt`.
 */
export function createS3ImageStore(options: S3ImageStoreOptions): ImageStore {
  const clientFor = (endpoint: string | undefined) =>
    new S3Client({
      region: options.region,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Otherwise the SDK signs a CRC32 of the empty body into the URL and every upload fails.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  const client = clientFor(options.endpoint);
  const publicEndpoint = options.publicEndpoint ?? options.endpoint;
  // Signing is local work: this client never sends a request, so its host only needs to be the public one.
  const signer = publicEndpoint === options.endpoint ? client : clientFor(publicEndpoint);
  const base = publicEndpoint
    ? `${publicEndpoint.replace(/\/+$/, '')}/${options.bucket}`
    : `https://${options.bucket}.s3.${options.region}.amazonaws.com`;

  return {
    kind: 's3',
    async signUpload(object: ImageObject, now: Date): Promise<SignedUpload> {
      const command = new PutObjectCommand({
        Bucket: options.bucket,
        Key: object.key,
        ContentType: object.contentType,
        ContentLength: object.byteSize,
      });
      const url = await getSignedUrl(signer, command, {
        expiresIn: UPLOAD_TTL_SECONDS,
        signingDate: now,
        // The presigner leaves Content-Type unsigned unless told; both must be bound.
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return {
        url,
        method: 'PUT',
        headers: [
          { name: 'Content-Type', value: object.contentType },
          { name: 'Content-Length', value: String(object.byteSize) },
        ],
        expiresAt: new Date(now.getTime() + UPLOAD_TTL_SECONDS * 1000),
      };
    },
    urlOf: (key) => `${base}/${key}`,
    keyOf(url) {
      const key = keyUnder(base, url);
      return key !== null && parseImageKey(key) ? key : null;
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof NotFound) return false;
        throw error;
      }
    },
    routes: {},
  };
}
