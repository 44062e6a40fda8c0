import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { graphql, graphqlOk } from '@shop/testing';
import { startProcessSupergraph, type ProcessSupergraph } from './support/processes.js';
import { adminToken, buyOne, eventually, registerBuyer } from './faults/shop.js';

// Traces as an operator sees them: the stack as separate processes (`npm start -- --processes`)
// with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in this test. A client's
// `traceparent` is continued by the router, passed to each subgraph it fetches from, carried by
// the events that request causes (through the outbox and Redis) to the consumers in other
// processes, and written into their log lines.

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
}

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

let receiver: Server;
let endpoint: string;
const spans: ExportedSpan[] = [];
const contentTypes = new Set<string>();
let sg: ProcessSupergraph;

/** OTLP/JSON carries ids as hex; base64 (protobuf-JSON style) is read too. */
function hexId(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '';
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

/** Just enough of an OpenTelemetry collector: POST /v1/traces with OTLP/JSON, every span kept. */
function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      contentTypes.add(String(req.headers['content-type']));
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      const payload = JSON.parse(body.toString('utf8')) as { resourceSpans?: any[] };
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '?';
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ service, traceId: hexId(span.traceId), spanId: hexId(span.spanId), parentSpanId: hexId(span.parentSpanId), name: span.name, kind: span.kind });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  await startReceiver();
  // Spans leave each process in batches every 200 ms instead of every 5 s.
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
  sg = await startProcessSupergraph({ serviceEnv: otel, routerEnv: otel, logLevel: 'info' });
}, 300_000);

afterAll(async () => {
  await sg?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('OpenTelemetry traces across processes', () => {
  it('one trace from the client through the router, the subgraphs, the outbox and the event consumers, its id in their log lines', async () => {
    const admin = await adminToken(sg.routerUrl);
    const productId = (await graphqlOk(sg.routerUrl, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
    await graphqlOk(sg.routerUrl, 'mutation($id: ID!) { setStock(productId: $id, quantity: 10) { id } }', { id: productId }, { token: admin });
    const buyer = await registerBuyer(sg.routerUrl);
    const order = await buyOne(sg.routerUrl, buyer, productId, { onHung: () => undefined, pay: false });

    // The client starts the trace: its id and span are ours.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const paid = await graphql(
      sg.routerUrl,
      'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }',
      { id: order.id },
      { token: buyer.token, headers: { traceparent: `00-${traceId}-${clientSpanId}-01` } },
    );
    expect({ errors: paid.errors, data: paid.data }).toEqual({ errors: undefined, data: { payOrder: { status: 'SUCCEEDED' } } });

    const inTrace = () => spans.filter((span) => span.traceId === traceId);
    const has = (service: string, kind: number, name: string) => inTrace().some((s) => s.service === service && s.kind === kind && s.name === name);
    // Inventory's log line about the reservation it settled. Spans come over HTTP and log lines over
    // the child's stdout pipe, in no set order: both are waited for.
    const settledLine = () =>
      sg.output
        .filter((line) => line.startsWith('inventory: {'))
        .map((line) => JSON.parse(line.slice('inventory: '.length)) as Record<string, unknown>)
        .find((entry) => entry.msg === 'reservation settled' && entry.orderId === order.id);
    await eventually(
      async () => inTrace(),
      () => has('inventory', CONSUMER, 'event order.status_changed') && has('orders', CONSUMER, 'event payment.succeeded') && settledLine() !== undefined,
      60_000,
    );

    // The router continued the client's span (services that call the router later add server spans of their own);
    // its fetch from payments is the parent of payments' server span.
    const routerSpan = inTrace().find((s) => s.service === 'router' && s.kind === SERVER && s.parentSpanId === clientSpanId);
    expect(routerSpan).toMatchObject({ name: 'POST /graphql' });
    const fetch = inTrace().find((s) => s.service === 'router' && s.kind === CLIENT && s.name === 'subgraph payments' && s.parentSpanId === routerSpan!.spanId);
    expect(fetch).toBeDefined();
    const paymentsServer = inTrace().find((s) => s.service === 'payments' && s.kind === SERVER);
    expect(paymentsServer).toMatchObject({ name: 'POST /graphql', parentSpanId: fetch!.spanId });
    // Its SQL statements nest inside it.
    expect(inTrace().some((s) => s.service === 'payments' && s.kind === CLIENT && s.name.startsWith('SQL ') && s.parentSpanId === paymentsServer!.spanId)).toBe(true);
    // payment.succeeded went through payments' outbox and Redis to orders; the status change orders
    // emitted went on to inventory (and the other consumers), all in the one trace.
    const services = new Set(inTrace().map((s) => s.service));
    expect([...services].sort()).toEqual(expect.arrayContaining(['inventory', 'orders', 'payments', 'router']));

    // That log line names the trace.
    expect(settledLine()).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect([...contentTypes]).toEqual(['application/json']);
  });
});
