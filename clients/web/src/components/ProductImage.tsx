import { useState } from 'react';

/** The first image, or the product's initial when there is none or it fails to load. */
export function ProductImage({ name, image, large = false }: { name: string; image?: { url: string; alt?: string | null } | undefined; large?: boolean }) {
  const [failed, setFailed] = useState(false);
  return (
    <span className={large ? 'picture large' : 'picture'}>
      {image && !failed ? (
        <img src={image.url} alt={image.alt ?? name} loading="lazy" decoding="async" onError={() => setFailed(true)} />
      ) : (
        <span aria-hidden="true">{name.slice(0, 1)}</span>
      )}
    </span>
  );
}
