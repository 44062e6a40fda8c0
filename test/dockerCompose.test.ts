import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// docker compose cannot run on the CI machine, so the file is checked structurally: it must
// stay a faithful, production-shaped description of every service in the repository.
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
};
const subgraphs = readdirSync(join(root, 'subgraphs'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'subgraphs', d.name, 'src', 'schema.graphql')))
  .map((d) => d.name);

describe('docker-compose.yml', () => {
  it('runs the production stores', () => {
    for (const store of ['postgres', 'mongo', 'redis', 'elasticsearch']) {
      expect(compose.services[store]?.image).toBeDefined();
      expect(compose.services[store]?.healthcheck?.test).toBeDefined();
    }
  });

  it('has a healthy-checked production service for every subgraph, on its own entry point', () => {
    expect(subgraphs.length).toBeGreaterThanOrEqual(4);
    for (const name of subgraphs) {
      const service = compose.services[name];
      expect(service).toBeDefined();
      expect(service.command).toEqual(['node', `subgraphs/${name}/dist/main.js`]);
      expect(service.environment.NODE_ENV).toBe('production');
      expect(service.environment.PORT).toMatch(/^40(0[1-9]|10)$/);
      expect(service.healthcheck?.test).toBeDefined();
    }
  });

  it('starts the router after every subgraph is healthy and points it at them', () => {
    const router = compose.services.router;
    for (const name of subgraphs) {
      expect(router.depends_on[name]).toEqual({ condition: 'service_healthy' });
      const port = compose.services[name].environment.PORT;
      expect(router.environment[`SUBGRAPH_${name.toUpperCase()}_URL`]).toBe(`http://${name}:${port}/graphql`);
    }
    expect(router.ports).toContain('4000:4000');
  });

  it('gives each PostgreSQL subgraph its own database and waits for its store', () => {
    for (const name of subgraphs) {
      const service = compose.services[name];
      const url: string | undefined = service.environment.DATABASE_URL;
      if (url === undefined) continue;
      expect(url).toMatch(new RegExp(`@postgres:5432/shop_${name}$`));
      expect(service.depends_on.postgres).toEqual({ condition: 'service_healthy' });
    }
    expect(compose.services.products.environment.MONGO_URL).toMatch(/^mongodb:\/\/mongo:/);
  });

  it('builds from a Dockerfile that exists', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  });
});
