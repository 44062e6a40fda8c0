import { createPrivateKey, createPublicKey, type JsonWebKey as NodeJwk, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

export type { JSONWebKeySet, JWK } from 'jose';

/** The asymmetric algorithms tokens may be signed with; anything else (HS*, none, RS*) is refused. */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A private key that signs tokens, and the public half verifiers find by `kid` in a JWK Set. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  /** The public JWK as published: `kid`, `alg` and `use: "sig"` set. */
  publicJwk: JWK;
}

/**
 * Key material as configured: the key that signs, and every public key to publish (the signing
 * key's first, then keys kept for tokens they signed earlier or published ahead of their use).
 */
export interface KeyRing {
  signing: SigningKey;
  published: JWK[];
}

/**
 * Reads key material from text: a PEM private key (PKCS#8 or SEC1), a private JWK, or a JWK Set
 * whose first key is private and signs (the other keys, private or public, are published only).
 * Ed25519 keys sign with EdDSA, P-256 keys with ES256. Throws a plain Error saying what is wrong.
 */
export async function importKeyRing(text: string): Promise<KeyRing> {
  const [first, ...rest] = privateAndPublicJwks(text);
  const signingJwk = first!;
  const alg = algorithmOf(signingJwk);
  const publicJwk = await publishable(signingJwk);
  const signing: SigningKey = {
    kid: publicJwk.kid!,
    alg,
    privateKey: (await importJWK({ ...signingJwk, alg }, alg)) as CryptoKey,
    publicJwk,
  };
  const published = [publicJwk];
  for (const jwk of rest) {
    const extra = await publishable(jwk);
    if (published.some((p) => p.kid === extra.kid)) throw new Error(`two keys have the kid ${JSON.stringify(extra.kid)}`);
    published.push(extra);
  }
  return { signing, published };
}

/** Checks key text without importing it (for config validation); returns the problem, or null. */
export function keyTextProblem(text: string): string | null {
  try {
    privateAndPublicJwks(text).forEach(algorithmOf);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A new Ed25519 key as a private JWK with its `kid`: for development and tests. */
export async function generateKeyJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(publicMembers(jwk)), alg: 'EdDSA' };
}

export async function generateKeyRing(): Promise<KeyRing> {
  return importKeyRing(JSON.stringify(await generateKeyJwk()));
}

export function keySetOf(keys: readonly JWK[]): JSONWebKeySet {
  return { keys: keys.map((key) => ({ ...key })) };
}

function privateAndPublicJwks(text: string): NodeJwk[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return [toJwk(createPrivateKey(trimmed))];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new Error('is neither a PEM private key nor JSON (a JWK or a JWK Set)');
  }
  const keys = Array.isArray((parsed as JSONWebKeySet | null)?.keys) ? (parsed as JSONWebKeySet).keys : [parsed];
  if (keys.length === 0) throw new Error('is a JWK Set without keys');
  return keys.map((key, index) => {
    if (typeof key !== 'object' || key === null) throw new Error(`key ${index + 1} is not a JWK object`);
    const jwk = key as NodeJwk;
    if (index === 0 && typeof jwk.d !== 'string') throw new Error('the first key must be a private key (it signs)');
    try {
      // Parsing through node:crypto rejects malformed keys and keeps only the standard members.
      const object = typeof jwk.d === 'string' ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' });
      return { ...toJwk(object), ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
    } catch (error) {
      throw new Error(`key ${index + 1} is not a usable JWK: ${(error as Error).message}`, { cause: error });
    }
  });
}

function toJwk(key: KeyObject): NodeJwk {
  try {
    return key.export({ format: 'jwk' });
  } catch {
    throw new Error('must be an Ed25519 or P-256 key');
  }
}

function algorithmOf(jwk: NodeJwk): SigningAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`must be an Ed25519 or P-256 key, got ${String(jwk.kty)} ${String(jwk.crv ?? '')}`.trim());
}

function publicMembers(jwk: NodeJwk | JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return y === undefined ? { kty, crv, x } : { kty, crv, x, y };
}

async function publishable(jwk: NodeJwk): Promise<JWK> {
  const pub = publicMembers(jwk);
  const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : await calculateJwkThumbprint(pub);
  return { ...pub, kid, alg: algorithmOf(jwk), use: 'sig' };
}
