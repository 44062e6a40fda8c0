export { createAdminClient, CLIENT_ERROR_CODES, type AdminApiError, type AdminClient, type AdminClientOptions, type AdminResult } from './client.js';
export * from './generated/graphql.js';
export { imageTypeOf, uploadProductImage, uploadProductImageFile, UPLOAD_REFUSED, type AttachedProduct } from './images.js';
