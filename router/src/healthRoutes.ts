import type { ServerResponse } from 'node:http';
import type { KeyValueStore } from '@shop/kv';
import { sendJson, type Logger } from '@shop/subgraph-kit';
import type { CallerVerifier } from './auth.js';
import { healthUrlOf, probeHealth, type SubgraphEndpoint } from './supergraph.js';

/** What the router's health endpoints read of its state. */
export interface HealthState {
  ready(): boolean;
  draining(): boolean;
  subgraphs(): readonly SubgraphEndpoint[];
  kv: KeyValueStore;
  /** The supervised processes (`npm start -- --processes`), when there are any. */
  processes?: () => Record<string, unknown> | undefined;
  verifier: CallerVerifier | null;
  logger: Logger;
}

/** `/health`, `/health/ready` and `/.well-known/jwks.json`. */
export function createHealthRoutes(state: HealthState) {
  return {
    // Liveness: the process answers. Readiness: the supergraph is loaded, the store (Redis)
    // answers and the router is not draining; subgraph outages do not make it unready.
    async readiness(res: ServerResponse) {
      const reasons = [
        ...(state.ready() ? [] : ['supergraph not loaded']),
        ...(state.draining() ? ['draining'] : []),
        ...(await state.kv.ping().then(() => [], (error: unknown) => [`store: ${(error as Error).message}`])),
      ];
      sendJson(res, reasons.length === 0 ? 200 : 503, { status: reasons.length === 0 ? 'ready' : 'unavailable', reasons });
    },

    async health(res: ServerResponse) {
      const ready = state.ready();
      const checks = await Promise.all(state.subgraphs().map(async (s) => [s.name, await probeHealth(healthUrlOf(s.url))] as const));
      const processes = state.processes?.();
      sendJson(res, ready ? 200 : 503, {
        status: ready ? (checks.every(([, up]) => up) ? 'ok' : 'degraded') : 'starting',
        supergraph: ready ? 'loaded' : 'loading',
        subgraphs: Object.fromEntries(checks.map(([name, up]) => [name, up ? 'up' : 'down'])),
        ...(processes ? { processes } : {}),
      });
    },

    async keySet(res: ServerResponse) {
      if (!state.verifier) return sendJson(res, 404, { error: 'not found' });
      try {
        sendJson(res, 200, await state.verifier.keySet(), { 'cache-control': 'public, max-age=300' });
      } catch (error) {
        state.logger.warn('the JWK Set could not be fetched', { error: (error as Error).message });
        sendJson(res, 503, { error: 'the signing keys are unavailable right now' });
      }
    },
  };
}
