import { existsSync } from 'node:fs';
import { parse, UsageError } from './args.js';
import { uploadProductImageFile } from './images.js';
import { report, type Handler } from './output.js';
import { formatTable } from './table.js';

/** Product pictures: upload a file and attach it, in one command. */
export const IMAGE_USAGE = `  products upload-image <productId> <file> [--alt <text>] [--type <image/jpeg|image/png|image/webp>]`;

export const IMAGE_COMMANDS: Record<string, Handler> = {
  'products upload-image': (args) => {
    const { values, positionals } = parse(args, ['alt', 'type'], 2);
    const [productId, path] = positionals as [string, string];
    if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
    // The type comes from the file's first bytes unless --type says otherwise; the API judges it.
    const options = { alt: values.alt ?? null, ...(values.type === undefined ? {} : { contentType: values.type }) };
    return async (client, io) =>
      report(await uploadProductImageFile(client, productId, path, { ...options, ...(io.fetch ? { fetch: io.fetch } : {}) }), io, (product) =>
        [
          `${product.sku}  ${product.name}  (${product.id})`,
          formatTable(['#', 'PICTURE', 'ALT'], product.images.map((image, i) => [String(i + 1), image.url, image.alt ?? ''])),
        ].join('\n'),
      );
  },
};
