import { badUserInput, notFound } from '@shop/errors';
import { requireAdmin } from '@shop/subgraph-kit';
import type { ProductsContext } from '../context.js';
import { pendingEvent } from '../events.js';
import type { PendingEventRelay } from '../relay.js';
import type { ProductDocument, ProductRepository } from '../repository.js';
import { LIMITS, documentId, optionalText } from '../validation.js';
import { parseImageKey, plannedImage } from './rules.js';
import type { ImageStore } from './store.js';

export type ImageService = ReturnType<typeof createImageService>;

export interface ImageUploadOutput {
  uploadUrl: string;
  method: string;
  headers: Array<{ name: string; value: string }>;
  imageUrl: string;
  expiresAt: Date;
}

/**
 * Product pictures in two steps, as with any presigned upload: the admin asks for a signed URL
 * (`createProductImageUpload`), the browser or CLI puts the bytes there directly, then
 * `attachProductImage` adds the stored picture to the product, once it is really there.
 */
export function createImageService(deps: {
  repository: ProductRepository;
  relay: Pick<PendingEventRelay, 'afterWrite'>;
  store: ImageStore;
  clock: () => Date;
}) {
  const { repository, relay, store, clock } = deps;

  const changeableProduct = async (ctx: ProductsContext, productId: string): Promise<ProductDocument> => {
    const id = documentId(productId, 'productId');
    const product = await ctx.loaders.productById.load(id);
    if (!product) throw notFound('Product', id);
    if (product.archivedAt !== null) throw badUserInput('An archived product cannot be changed', 'productId');
    return product;
  };

  return {
    async createUpload(ctx: ProductsContext, args: { productId: string; contentType: string; byteSize: number }): Promise<ImageUploadOutput> {
      requireAdmin(ctx);
      const product = await changeableProduct(ctx, args.productId);
      const object = plannedImage(product._id, args.contentType, args.byteSize);
      const signed = await store.signUpload(object, clock());
      return { uploadUrl: signed.url, method: signed.method, headers: signed.headers, imageUrl: store.urlOf(object.key), expiresAt: signed.expiresAt };
    },

    /** Appends the picture; attaching one the product already shows changes nothing. */
    async attach(ctx: ProductsContext, args: { productId: string; imageUrl: string; alt?: string | null }): Promise<ProductDocument> {
      requireAdmin(ctx);
      const product = await changeableProduct(ctx, args.productId);
      const alt = optionalText(args.alt, 'alt', LIMITS.alt);
      const key = store.keyOf(args.imageUrl);
      if (key === null || parseImageKey(key)?.productId !== product._id) {
        throw badUserInput('`imageUrl` must be the imageUrl of an upload created for this product', 'imageUrl');
      }
      if (product.images.some((image) => image.url === args.imageUrl)) return product;
      if (product.images.length >= LIMITS.images) throw badUserInput(`A product has at most ${LIMITS.images} pictures`, 'productId');
      if (!(await store.exists(key))) throw badUserInput('Nothing has been uploaded to this imageUrl yet', 'imageUrl');
      const now = new Date();
      const images = [...product.images, { url: args.imageUrl, alt }];
      const updated = await repository.updateProduct(product._id, { images }, now, pendingEvent('product.updated', now));
      if (!updated) throw badUserInput('An archived product cannot be changed', 'productId');
      await relay.afterWrite();
      ctx.loaders.productById.clear(updated._id).prime(updated._id, updated);
      ctx.loaders.productBySku.clear(updated.sku).prime(updated.sku, updated);
      return updated;
    },
  };
}
