import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readConfig, type EnvReader } from '@shop/config';
import { buildRouterConfig } from '@shop/router';
import { buildAnalyticsConfig } from '@shop/analytics';
import { buildCartConfig } from '@shop/cart';
import { buildInventoryConfig } from '@shop/inventory';
import { buildNotificationsConfig } from '@shop/notifications';
import { buildOrdersConfig } from '@shop/orders';
import { buildPaymentsConfig } from '@shop/payments';
import { buildProductsConfig } from '@shop/products';
import { buildSearchConfig } from '@shop/search';
import { buildShippingConfig } from '@shop/shipping';
import { buildUsersConfig } from '@shop/users';
import { containersOf, renderKustomization, type K8sObject } from './support/kustomize.js';

// deploy/k8s rendered through the example overlay: every service of the repository is there,
// probed, sized, autoscaled, protected by a disruption budget and a network policy that lets in
// exactly its callers (read from the code), configured by env from the ConfigMap and Secret refs.
const root = join(new URL('.', import.meta.url).pathname, '..');
const overlay = join(root, 'deploy', 'k8s', 'overlays', 'example');
const rendered = renderKustomization(overlay);
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, any> };
const subgraphs = readdirSync(join(root, 'subgraphs')).filter((name) => existsSync(join(root, 'subgraphs', name, 'src', 'schema.graphql')));
const webTier = ['router', 'storefront', 'dashboard'];
const services = [...subgraphs, ...webTier];

const find = (kind: string, name: string) => rendered.find((o) => o.kind === kind && o.metadata.name === name) as (K8sObject & Record<string, any>) | undefined;
const containerOf = (name: string) => containersOf(find('Deployment', name)!)[0]!;

/**
 * Who calls a subgraph directly: the subgraphs whose config reads `<NAME>_URL`, and for users
 * every subgraph that verifies access tokens against its public keys (`readServiceTrust`: JWKS_URL).
 */
function callersOf(subgraph: string): string[] {
  return subgraphs.filter((caller) => {
    const config = readFileSync(join(root, 'subgraphs', caller, 'src', 'config.ts'), 'utf8');
    return config.includes(`'${subgraph.toUpperCase()}_URL'`) || (subgraph === 'users' && /readServiceTrust\(env\)|readJwksUrl\(env\)/.test(config));
  });
}

const CONFIG_BUILDERS: Record<string, (env: EnvReader) => unknown> = {
  users: buildUsersConfig,
  products: buildProductsConfig,
  inventory: buildInventoryConfig,
  orders: buildOrdersConfig,
  payments: buildPaymentsConfig,
  cart: buildCartConfig,
  search: buildSearchConfig,
  shipping: buildShippingConfig,
  notifications: buildNotificationsConfig,
  analytics: buildAnalyticsConfig,
};

const TEST_PRIVATE_KEY = '{"kty":"OKP","crv":"Ed25519","x":"pD2ROYZFi88G55dU0kV0Gx9m2ehbuamXINVU_MNmh58","d":"KXV1rFhBlcyd8Zc5JzP5xLq_CwTG1XGT_WegVJfwe04"}';

/** A stand-in for a Secret's value, of the shape its variable takes. */
function secretValue(key: string): string {
  if (key.endsWith('DATABASE_URL')) return 'postgres://shop:pw@postgres:5432/shop';
  if (key === 'REDIS_URL') return 'redis://redis:6379';
  if (key === 'MONGO_URL') return 'mongodb://mongo:27017';
  if (key === 'ELASTICSEARCH_URL') return 'http://elasticsearch:9200';
  if (key === 'SMTP_URL') return 'smtp://mail:25';
  if (key.endsWith('PRIVATE_KEY')) return TEST_PRIVATE_KEY;
  return `secret-${key}-0123456789abcdefghijklmnopqrstuvwxyz`;
}

/** The environment a service's container gets: the ConfigMap, then its own env (secrets filled in). */
function environmentOf(name: string): Record<string, string> {
  const configMap = find('ConfigMap', 'shop-config')!.data as Record<string, string>;
  const container = containerOf(name);
  const own = Object.fromEntries(
    (container.env as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }>).map((e) => [
      e.name,
      e.value ?? secretValue(e.valueFrom!.secretKeyRef.key),
    ]),
  );
  return { ...configMap, ...own };
}

describe('deploy/k8s (example overlay)', () => {
  it('has a Deployment, Service, HPA, PDB and NetworkPolicy for every service, in the overlay namespace and image', () => {
    expect(subgraphs).toHaveLength(10);
    for (const name of services) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
        expect({ name, kind, namespace: find(kind, name)?.metadata.namespace }).toEqual({ name, kind, namespace: 'shop' });
      }
      expect(containerOf(name).image).toBe('registry.example.com/shop/supergraph:1.0.0');
    }
  });

  it('runs each service as docker-compose does, with probes on the health endpoints and sized resources', () => {
    for (const name of services) {
      const deployment = find('Deployment', name)!;
      const container = containerOf(name);
      const port = Number(compose.services[name].environment.PORT);
      expect(container.command).toEqual(compose.services[name].command);
      // The router's /metrics has a port of its own (METRICS_PORT), apart from the public one.
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }, ...(name === 'router' ? [{ name: 'metrics', containerPort: 9464 }] : [])]);
      expect(container.env).toContainEqual({ name: 'PORT', value: String(port) });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      const service = find('Service', name)!;
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(service.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    }
    expect(containerOf('router').resources.requests).toEqual({ cpu: '500m', memory: '512Mi' });
  });

  it('autoscales services at 60% CPU and the web tier at 70%, and keeps all but one pod through disruptions', () => {
    for (const name of services) {
      const hpa = find('HorizontalPodAutoscaler', name)!;
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: webTier.includes(name) ? 70 : 60 } } },
      ]);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      const pdb = find('PodDisruptionBudget', name)!;
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: find('Deployment', name)!.spec.selector });
    }
    expect(find('HorizontalPodAutoscaler', 'router')!.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
  });

  it('lets only the router and each subgraph\'s callers in the code reach it; the router, storefront and dashboard are public', () => {
    expect(find('NetworkPolicy', 'default-deny-ingress')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(callersOf('products').sort()).toEqual(['cart', 'orders', 'search', 'users']);
    for (const name of subgraphs) {
      const policy = find('NetworkPolicy', name)!;
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      const [rule, ...more] = policy.spec.ingress as Array<{ from: Array<Record<string, any>>; ports: unknown[] }>;
      expect(more).toEqual([]);
      const pods = rule!.from.filter((peer) => peer.podSelector).map((peer) => peer.podSelector.matchLabels['app.kubernetes.io/name']);
      expect(pods.sort()).toEqual(['router', ...callersOf(name)].sort());
      expect(rule!.ports).toEqual([{ port: Number(compose.services[name].environment.PORT) }]);
      // Other namespaces: Prometheus for /metrics, and the ingress controller for payments' Stripe webhooks only.
      const namespaces = rule!.from.filter((peer) => peer.namespaceSelector).map((peer) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
      expect(namespaces).toEqual(name === 'payments' ? ['monitoring', 'ingress-nginx'] : ['monitoring']);
    }
    expect(find('NetworkPolicy', 'storefront')!.spec.ingress).toEqual([{ ports: [{ port: 3000 }] }]);
    // Anyone reaches the router's public port; only Prometheus its metrics port.
    expect(find('NetworkPolicy', 'router')!.spec.ingress).toEqual([
      { ports: [{ port: 4000 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9464 }] },
    ]);
  });

  it('configures by env from the ConfigMap and Secret refs only, enough for each service to start in production', () => {
    expect(rendered.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const name of services) {
      const container = containerOf(name);
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'shop-config' } }]);
      for (const variable of container.env as Array<{ name: string; value?: string; valueFrom?: any }>) {
        if (/SECRET|PASSWORD|KEY|_URL$/.test(variable.name)) {
          expect({ [variable.name]: variable.valueFrom?.secretKeyRef?.name }).toEqual({ [variable.name]: 'shop-secrets' });
        }
      }
    }
    for (const value of Object.values(find('ConfigMap', 'shop-config')!.data as Record<string, string>)) {
      expect(value).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
    }
    for (const name of subgraphs) {
      expect(() => readConfig(environmentOf(name), CONFIG_BUILDERS[name]!)).not.toThrow();
      expect(environmentOf(name).NODE_ENV).toBe('production');
    }
    const routerEnv = environmentOf('router');
    const router = readConfig(routerEnv, (env) => buildRouterConfig(env, routerEnv)).config;
    expect(router.subgraphUrls).toEqual(Object.fromEntries(subgraphs.map((name) => [name, compose.services.router.environment[`SUBGRAPH_${name.toUpperCase()}_URL`]])));
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  (kubectl ? it : it.skip)('renders exactly as kubectl kustomize does', () => {
    const theirs = parseAllDocuments(execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' })).map((d) => d.toJS() as K8sObject);
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const byKey = (objects: K8sObject[]) => Object.fromEntries(objects.map((o) => [key(o), o]));
    expect(byKey(rendered)).toEqual(byKey(theirs));
  });
});
