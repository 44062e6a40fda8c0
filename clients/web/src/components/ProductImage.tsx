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

type Picture = { url: string; alt?: string | null };

/** The product page's pictures: one large, and a button per picture to show it instead. */
export function ProductGallery({ name, images }: { name: string; images: readonly Picture[] }) {
  const [shown, setShown] = useState(0);
  const current = images[Math.min(shown, images.length - 1)];
  return (
    <div className="gallery" data-testid="gallery">
      <ProductImage key={current?.url ?? 'none'} name={name} image={current} large />
      {images.length > 1 ? (
        <ul className="thumbs" aria-label="Pictures">
          {images.map((image, i) => (
            <li key={image.url}>
              <button type="button" aria-pressed={i === shown} onClick={() => setShown(i)} data-testid="gallery-thumb">
                <Thumb image={image} label={image.alt ?? `${name}, picture ${i + 1}`} number={i + 1} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A thumbnail, or its number when it fails to load (the button keeps the picture's name). */
function Thumb({ image, label, number }: { image: Picture; label: string; number: number }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <>
        <span className="visually-hidden">{label}</span>
        <span aria-hidden="true">{number}</span>
      </>
    );
  }
  return <img src={image.url} alt={label} loading="lazy" decoding="async" onError={() => setFailed(true)} />;
}
