import { randomUUID } from 'node:crypto';
import { badUserInput } from '@shop/errors';

/**
 * What may be uploaded as a product picture, the same for every store: the store's signature
 * binds the type and the exact size, so the bytes that arrive are the ones agreed here.
 */
export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;

export type ImageContentType = keyof typeof IMAGE_TYPES;

/** 5 MB, counted in bytes as S3 counts Content-Length. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** How long an upload URL can be used; long enough for a slow phone line, short enough to be worthless if leaked. */
export const UPLOAD_TTL_SECONDS = 15 * 60;

/** One stored picture: `products/<product id>/<uuid>.<ext>`, so a key never collides and names its product. */
const KEY = /^products\/([0-9a-f]{24})\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;

export interface ImageObject {
  key: string;
  contentType: ImageContentType;
  byteSize: number;
}

export function isImageContentType(value: string): value is ImageContentType {
  return Object.hasOwn(IMAGE_TYPES, value);
}

/** Checks what an admin asks to upload; BAD_USER_INPUT names `contentType` or `byteSize`. */
export function plannedImage(productId: string, contentType: string, byteSize: number): ImageObject {
  const type = contentType.trim().toLowerCase();
  if (!isImageContentType(type)) {
    throw badUserInput(`Only ${Object.keys(IMAGE_TYPES).join(', ')} pictures can be uploaded, not ${JSON.stringify(contentType)}`, 'contentType');
  }
  if (!Number.isInteger(byteSize) || byteSize < 1 || byteSize > MAX_IMAGE_BYTES) {
    throw badUserInput(`A picture must be 1 byte to 5 MB (${MAX_IMAGE_BYTES} bytes); this one is ${byteSize} bytes`, 'byteSize');
  }
  return { key: `products/${productId}/${randomUUID()}.${IMAGE_TYPES[type]}`, contentType: type, byteSize };
}

/** The key's product id and content type when `key` is one this module made, else null. */
export function parseImageKey(key: string): { productId: string; contentType: ImageContentType } | null {
  const match = KEY.exec(key);
  if (!match) return null;
  const extension = match[2]!;
  const contentType = (Object.keys(IMAGE_TYPES) as ImageContentType[]).find((type) => IMAGE_TYPES[type] === extension)!;
  return { productId: match[1]!, contentType };
}

/**
 * Whether the bytes start as a file of that type does (JPEG SOI marker, PNG signature, RIFF
 * WEBP header): a renamed PDF is refused even with a valid signature.
 */
export function looksLike(contentType: ImageContentType, bytes: Uint8Array): boolean {
  const starts = (offset: number, signature: readonly number[]) => signature.every((byte, i) => bytes[offset + i] === byte);
  switch (contentType) {
    case 'image/jpeg':
      return starts(0, [0xff, 0xd8, 0xff]);
    case 'image/png':
      return starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/webp':
      return starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50]);
  }
}
