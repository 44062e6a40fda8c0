import { useMutation, useQuery } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { Outcome, useRun } from '../components/States.js';
import { graphql } from '../gql/index.js';
import { AttachProductImageDocument, CreateProductImageUploadDocument } from '../gql/graphql.js';

const ProductImages = graphql(`
  query ProductImages($id: ID!) {
    product(id: $id) {
      id
      images {
        url
        alt
      }
    }
  }
`);

/** What the API allows; the browser's picker offers only these, the API refuses anything else anyway. */
const ACCEPT = 'image/jpeg,image/png,image/webp';

/**
 * The product's pictures and an upload: a signed URL from the API, the file PUT straight to
 * storage with the signed headers, then the stored picture attached to the product.
 */
export function ImageUploader({ productId, name }: { productId: string; name: string }) {
  const { data } = useQuery(ProductImages, { variables: { id: productId } });
  const [createUpload] = useMutation(CreateProductImageUploadDocument);
  const [attach] = useMutation(AttachProductImageDocument, { refetchQueries: [ProductImages] });
  const { outcome, busy, run } = useRun();
  const images = data?.product?.images ?? [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const file = form.get('file');
    const alt = String(form.get('alt') ?? '').trim() || null;
    if (!(file instanceof File) || file.size === 0) return;
    void run(async () => {
      const { data: asked } = await createUpload({ variables: { productId, contentType: file.type || 'application/octet-stream', byteSize: file.size } });
      const upload = asked!.createProductImageUpload;
      // The browser sets Content-Length from the file itself: the size that was signed.
      const headers = Object.fromEntries(upload.headers.filter((h) => h.name.toLowerCase() !== 'content-length').map((h) => [h.name, h.value]));
      const stored = await fetch(upload.uploadUrl, { method: upload.method, headers, body: file });
      if (!stored.ok) throw new Error(`The picture store refused the file (HTTP ${stored.status}).`);
      await attach({ variables: { productId, imageUrl: upload.imageUrl, alt } });
      target.reset();
    }, 'Picture added.');
  };

  return (
    <div className="image-uploader" data-testid="image-uploader">
      <ul className="thumbs" aria-label={`Pictures of ${name}`}>
        {images.map((image) => (
          <li key={image.url} data-testid="product-image">
            <img src={image.url} alt={image.alt ?? ''} width={64} height={64} />
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={submit}>
        <label>
          Picture (JPEG, PNG or WebP, up to 5 MB)
          <input name="file" type="file" accept={ACCEPT} required data-testid="image-file" />
        </label>
        <label>
          Description for screen readers
          <input name="alt" maxLength={300} data-testid="image-alt" />
        </label>
        <button type="submit" disabled={busy} data-testid="image-upload">
          {busy ? 'Uploading…' : 'Upload picture'}
        </button>
      </form>
      <Outcome state={outcome} />
    </div>
  );
}
