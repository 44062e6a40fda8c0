import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '@shop/subgraph-kit';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/**
 * The subgraphs a supergraph names, from its `join__Graph` enum:
 * `USERS @join__graph(name: "users", url: "http://localhost:4001/graphql")`.
 */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  const endpoints: SubgraphEndpoint[] = [];
  const pattern = /@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*"([^"]*)"\s*\)/g;
  for (const match of supergraphSdl.matchAll(pattern)) {
    endpoints.push({ name: match[1]!, url: match[2]! });
  }
  return endpoints;
}

export async function readSupergraph(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph at ${path} (${(error as Error).message}); run \`npm run compose\` or set SUPERGRAPH_PATH`, { cause: error });
  }
}

/** The health URL next to a subgraph's GraphQL URL (`.../graphql` -> `.../health`). */
export function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/health';
  url.search = '';
  return url.toString();
}

/**
 * Calls `onChange` (debounced) whenever the file at `path` is written or replaced. Watches the
 * directory, not the file: tools that write a new file and rename it over the old one would
 * otherwise leave the watch on a file that no longer exists.
 */
export function watchFile(path: string, onChange: () => void | Promise<void>, debounceMs = 100): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | null = null;
  const watcher = watch(dirname(path), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void onChange();
    }, debounceMs);
  });
  watcher.unref();
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}

/** Reloads the supergraph when its file changes; a broken file is logged and the old one kept. */
export function watchSupergraphFile(path: string, initial: string, reload: (sdl: string) => void, logger: Logger): () => void {
  let last = initial;
  return watchFile(path, async () => {
    let sdl: string;
    try {
      sdl = await readSupergraph(path);
    } catch (error) {
      logger.warn('supergraph file unreadable; keeping the current supergraph', { path, error: (error as Error).message });
      return;
    }
    if (sdl === last) return;
    try {
      reload(sdl);
      last = sdl;
      logger.info('supergraph reloaded', { path });
    } catch (error) {
      logger.error('supergraph reload failed; keeping the current supergraph', { path, error: (error as Error).message });
    }
  });
}

/** True when `url` (a /health endpoint) answers 2xx within 1.5 s. */
export async function probeHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
