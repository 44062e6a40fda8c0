import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EnvReader } from '@shop/config';
import { DEFAULT_JWKS_URL, type KeySource } from './auth.js';
import { generateKeyJwk, importKeyRing, keyTextProblem, type KeyRing } from './keys.js';
import { namedKeyRing, SERVICE_KEYS_PATH } from './serviceAuth.js';

/** Where the router publishes every service's public keys when it runs on this machine (SERVICE_JWKS_URL's default). */
export const DEFAULT_SERVICE_JWKS_URL = `http://localhost:4000${SERVICE_KEYS_PATH}`;

/** JWKS_URL: where the users subgraph publishes the keys access tokens are checked against. */
export function readJwksUrl(env: EnvReader): string {
  return env.url('JWKS_URL', { requiredInProduction: true, protocols: ['http', 'https'] }) ?? DEFAULT_JWKS_URL;
}

/** SERVICE_JWKS_URL: where the public keys of the services allowed to call are (the router's set). */
export function readServiceJwksUrl(env: EnvReader): string {
  return env.url('SERVICE_JWKS_URL', { requiredInProduction: true, protocols: ['http', 'https'] }) ?? DEFAULT_SERVICE_JWKS_URL;
}

/**
 * A private key as configured: its text (PEM, JWK or JWK Set), or a file holding it. A file that
 * does not exist yet is created with a fresh key, so a service can own a key no other container
 * ever sees (docker-compose gives each its own volume).
 */
export type PrivateKeySetting = { text: string } | { file: string };

/**
 * `NAME` (the key's text) or `NAME_FILE` (its file); one of them is required in production. In
 * development neither means a key kept under `.data/keys/`.
 */
export function readPrivateKey(env: EnvReader, name: string): PrivateKeySetting | undefined {
  const file = env.optional(`${name}_FILE`);
  const text = env.checked(name, keyTextProblem, { requiredInProduction: file === undefined });
  if (text !== undefined) return { text };
  return file === undefined ? undefined : { file };
}

/** The key ring a setting names; without one (development only), the key in `developmentPath`, made on first use. */
export async function privateKeyRing(setting: PrivateKeySetting | undefined, developmentPath: string, warn: (message: string) => void): Promise<KeyRing> {
  if (setting && 'text' in setting) return importKeyRing(setting.text);
  const path = setting?.file ?? developmentPath;
  if (!setting) warn(`no private key is configured: using the development key in ${path}`);
  return importKeyRing(await keyFileText(path));
}

/** SERVICE_PRIVATE_KEY(_FILE): this service's own key ring, its `kid`s led by its name. */
export async function serviceKeyRing(name: string, setting: PrivateKeySetting | undefined, warn: (message: string) => void): Promise<KeyRing> {
  return namedKeyRing(name, await privateKeyRing(setting, `.data/keys/${name}-service.jwk`, warn));
}

/** The key in `path` (a private JWK), created with a fresh key on first use, readable by this user only. */
export async function keyFileText(path: string): Promise<string> {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, `${JSON.stringify(await generateKeyJwk())}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first (processes sharing .data/): use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(path, 'utf8');
}

/** What every subgraph reads about trust: whose tokens it accepts, who may call it, and who it is when it calls. */
export interface ServiceTrustConfig {
  /** JWKS_URL: the users subgraph's public keys, which callers' access tokens are checked against. */
  jwksUrl: string;
  /** SERVICE_JWKS_URL: the public keys of the router and the services that may call (the router publishes them). */
  serviceKeys: KeySource;
  /** SERVICE_PRIVATE_KEY(_FILE): proves who this service is when it calls another; unset in development: a key under `.data/keys/`. */
  servicePrivateKey: PrivateKeySetting | undefined;
}

export function readServiceTrust(env: EnvReader): ServiceTrustConfig {
  return { jwksUrl: readJwksUrl(env), serviceKeys: readServiceJwksUrl(env), servicePrivateKey: readPrivateKey(env, 'SERVICE_PRIVATE_KEY') };
}
