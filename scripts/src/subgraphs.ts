import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The DESIGN port of every subgraph; a folder under subgraphs/ without a row here is an error. */
export const SUBGRAPH_PORTS: Record<string, number> = {
  users: 4001,
  products: 4002,
  inventory: 4003,
  orders: 4004,
  payments: 4005,
  cart: 4006,
  search: 4007,
  shipping: 4008,
  notifications: 4009,
  analytics: 4010,
};

export const ROUTER_PORT = 4000;

export interface SubgraphInfo {
  name: string;
  port: number;
  dir: string;
  schemaPath: string;
  mainPath: string;
}

/** Every subgraph present in the repository, in port order. */
export function listSubgraphs(root: string): SubgraphInfo[] {
  const base = join(root, 'subgraphs');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'src', 'schema.graphql')))
    .map((entry) => {
      const port = SUBGRAPH_PORTS[entry.name];
      if (port === undefined) throw new Error(`subgraphs/${entry.name} has no port in scripts/src/subgraphs.ts`);
      const dir = join(base, entry.name);
      return {
        name: entry.name,
        port,
        dir,
        schemaPath: join(dir, 'src', 'schema.graphql'),
        mainPath: join(dir, 'dist', 'main.js'),
      };
    })
    .sort((a, b) => a.port - b.port);
}
