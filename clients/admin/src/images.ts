import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CLIENT_ERROR_CODES, type AdminClient, type AdminResult } from './client.js';
import { AttachProductImageDocument, CreateProductImageUploadDocument, type AttachProductImageMutation } from './generated/graphql.js';

export type AttachedProduct = AttachProductImageMutation['attachProductImage'];

/** The store's refusal of the bytes (HTTP 4xx from the signed URL), as an error value like the API's. */
export const UPLOAD_REFUSED = 'UPLOAD_REFUSED';

/**
 * A picture's type from its first bytes (what the stores check), else from the file name; the API
 * refuses anything but JPEG, PNG and WebP with BAD_USER_INPUT naming `contentType`.
 */
export function imageTypeOf(bytes: Uint8Array, fileName: string): string {
  const starts = (offset: number, text: string) => [...text].every((char, i) => bytes[offset + i] === char.charCodeAt(0));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && starts(1, 'PNG\r\n\x1a\n')) return 'image/png';
  if (starts(0, 'RIFF') && starts(8, 'WEBP')) return 'image/webp';
  const byExtension: Record<string, string> = { '.gif': 'image/gif', '.svg': 'image/svg+xml', '.pdf': 'application/pdf' };
  return byExtension[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Uploads a picture and adds it to the product: asks for a signed URL, puts the bytes there with
 * the signed headers, then attaches the stored picture. A refusal at any step is an error value.
 */
export async function uploadProductImage(
  client: AdminClient,
  productId: string,
  bytes: Uint8Array,
  options: { contentType: string; alt?: string | null; fetch?: typeof fetch },
): Promise<AdminResult<AttachedProduct>> {
  const asked = await client.request(CreateProductImageUploadDocument, { productId, contentType: options.contentType, byteSize: bytes.byteLength });
  if (!asked.ok) return asked;
  const upload = asked.data.createProductImageUpload;
  // fetch sets Content-Length from the body itself; it is the size that was signed.
  const headers = Object.fromEntries(upload.headers.filter((h) => h.name.toLowerCase() !== 'content-length').map((h) => [h.name, h.value]));
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(upload.uploadUrl, { method: upload.method, headers, body: bytes });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, errors: [{ code: CLIENT_ERROR_CODES.NETWORK_ERROR, message: `cannot reach the picture store${cause}` }] };
  }
  if (!response.ok) {
    const detail = (await response.text()).slice(0, 300);
    return { ok: false, errors: [{ code: UPLOAD_REFUSED, message: `the picture store answered HTTP ${response.status}: ${detail}` }] };
  }
  const attached = await client.request(AttachProductImageDocument, { productId, imageUrl: upload.imageUrl, alt: options.alt ?? null });
  return attached.ok ? { ok: true, data: attached.data.attachProductImage } : attached;
}

/** `uploadProductImage` for a file on disk, its type read from its bytes unless given. */
export async function uploadProductImageFile(
  client: AdminClient,
  productId: string,
  path: string,
  options: { contentType?: string; alt?: string | null; fetch?: typeof fetch } = {},
): Promise<AdminResult<AttachedProduct>> {
  const bytes = await readFile(path);
  return uploadProductImage(client, productId, bytes, { ...options, contentType: options.contentType ?? imageTypeOf(bytes, path) });
}
