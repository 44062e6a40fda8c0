import type { StackKeys } from '../stack.js';
import { startProcessStack } from './processStack.js';

/**
 * `npm start -- --processes`: the process stack on the DESIGN ports with the launcher's own
 * environment (so every variable a service reads can be set as for `npm start`). Each process's
 * JSON log lines pass through to stdout; the supervisor's own lines start with `supervisor:`.
 */
export async function startProcesses(options: {
  root: string;
  dataDir: string;
  ports: Record<string, number>;
  pgPort: number;
  redisPort: number;
  keys: StackKeys;
  admin: { email: string; password: string };
  say(line: string): void;
}) {
  const { say } = options;
  const redisUrl = process.env.REDIS_URL;
  const metricsPort = Number(process.env.METRICS_PORT ?? 9464);
  if (!redisUrl) say(`starting redis-server on :${options.redisPort} (data in .data/redis, append-only file fsynced every second)`);
  const stack = await startProcessStack({
    root: options.root,
    dataDir: options.dataDir,
    ports: options.ports,
    postgres: { port: options.pgPort },
    redisUrl,
    redisPort: options.redisPort,
    metricsPort,
    keys: options.keys,
    admin: options.admin,
    env: process.env,
    serviceEnv: { FREE_SHIPPING_THRESHOLD: process.env.FREE_SHIPPING_THRESHOLD ?? '50.00' },
    // The storefront on :3000 proxies to the router over loopback and says who the client is.
    routerEnv: { TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback' },
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    log: (line) => say(`supervisor: ${line}`),
    output: (_name, line) => say(line),
  });
  const pids = stack.supervisor.status();
  return {
    routerUrl: stack.routerUrl,
    urls: stack.urls,
    metricsUrl: `http://localhost:${metricsPort}/metrics`,
    notes: [
      `Mode:            one process per service, supervised (pids: ${Object.entries(pids).map(([name, s]) => `${name} ${s.pid}`).join(', ')})`,
      `Redis:           ${redisUrl ?? stack.redisUrl}${redisUrl ? '' : ' (started here, data in .data/redis)'}`,
    ],
    stop: () => stack.stop(),
  };
}
