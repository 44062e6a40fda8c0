import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseGraphQL } from 'graphql';
import { parse } from 'yaml';
import { createMemoryBus, type EventBus } from '@shop/events';
import { composeSupergraph, createRouter, type Router } from '@shop/router';
import { createLogger } from '@shop/subgraph-kit';
import { testRouterKey } from '@shop/testing';

// deploy/observability only names metrics the code exports: the ones a Prometheus scraping the
// router's /metrics sees (router, process and event-bus metrics), plus Prometheus's own `up`.
const root = join(new URL('.', import.meta.url).pathname, '..');
const dir = join(root, 'deploy', 'observability');
const rules = parse(readFileSync(join(dir, 'alerts.yaml'), 'utf8')) as {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: { severity: string }; annotations: { summary: string } }> }>;
};
const dashboard = JSON.parse(readFileSync(join(dir, 'dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
const PROMETHEUS_OWN = new Set(['up']);
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

/** The metric names a PromQL expression reads. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*(\()?/g)]
    .filter(([, name, call]) => !call && !KEYWORDS.has(name!))
    .map(([, name]) => name!);
}

let router: Router;
let bus: EventBus;
let exported: Set<string>;

beforeAll(async () => {
  bus = createMemoryBus();
  const typeDefs = parseGraphQL('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { ping: String }');
  const { supergraphSdl } = composeSupergraph([{ name: 'pings', url: 'http://127.0.0.1:1/graphql', typeDefs }]);
  router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger: createLogger({ service: 'test', level: 'silent' }), processMetrics: true, events: bus, metricsPort: 0 });
  await router.listen(0, '127.0.0.1');
  const text = await (await fetch(router.metricsUrl!)).text();
  exported = new Set();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exported.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
  }
});

afterAll(async () => {
  await router.stop();
  await bus.close();
});

describe('deploy/observability', () => {
  it('reads metric names out of PromQL', () => {
    expect(metricsIn('sum by (subgraph, le) (rate(router_subgraph_fetch_duration_seconds_bucket{job="x"}[5m])) / on (subgraph) up > 0.5')).toEqual([
      'router_subgraph_fetch_duration_seconds_bucket',
      'up',
    ]);
  });

  it('alerts only on exported metrics, each rule complete', () => {
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const rule of alerts) {
      const names = metricsIn(rule.expr);
      expect({ alert: rule.alert, names: names.length > 0 }).toEqual({ alert: rule.alert, names: true });
      for (const name of names) expect({ alert: rule.alert, metric: name, exported: exported.has(name) || PROMETHEUS_OWN.has(name) }).toMatchObject({ exported: true });
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toEqual(expect.any(String));
    }
    // The event bus's trouble is alerted on: lag, retries, dead letters.
    const named = new Set(alerts.flatMap((rule) => metricsIn(rule.expr)));
    for (const metric of ['events_consumer_lag', 'events_retrying', 'events_dead_letters', 'router_operations_total']) expect(named).toContain(metric);
  });

  it('charts only exported metrics, and every router and event metric the code exports', () => {
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(exprs.length).toBeGreaterThan(10);
    const charted = new Set<string>();
    for (const { panel, expr } of exprs) {
      for (const name of metricsIn(expr)) {
        expect({ panel, metric: name, exported: exported.has(name) }).toMatchObject({ exported: true });
        charted.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    const ours = [...exported].filter((name) => /^(router|events)_/.test(name) && !/_(bucket|sum|count)$/.test(name));
    expect(ours.filter((name) => !charted.has(name))).toEqual([]);
  });
});
