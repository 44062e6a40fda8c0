import type { EnvReader } from '@shop/config';

/** What the environment says about tracing; the OTLP exporter reads its own `OTEL_EXPORTER_OTLP_*` too. */
export interface TelemetryConfig {
  /** OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): traces are exported there over OTLP/HTTP. */
  endpoint: string | undefined;
  /** OTEL_SDK_DISABLED=true turns tracing off even with an endpoint (the OpenTelemetry convention). */
  disabled: boolean;
}

export function readTelemetryConfig(env: EnvReader): TelemetryConfig {
  return {
    endpoint:
      env.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', { protocols: ['http', 'https'] }) ??
      env.url('OTEL_EXPORTER_OTLP_ENDPOINT', { protocols: ['http', 'https'] }),
    disabled: env.bool('OTEL_SDK_DISABLED', false),
  };
}

export interface Telemetry {
  /** Exports what is buffered and stops; call it on the way out. */
  shutdown(): Promise<void>;
}

let enabled = false;

/** True once `startTelemetry` registered a tracer provider in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Traces for this process when an OTLP endpoint is configured: a tracer provider with the
 * AsyncLocalStorage context manager and the W3C trace-context propagator, spans batched to the
 * OTLP/HTTP exporter. Without an endpoint nothing is loaded (the SDK and exporter are imported
 * only here) and every span helper is a no-op. Spans come from our own code at the boundaries
 * (HTTP in and out, SQL, Redis, event handlers), not from module patching, which under ESM
 * would need loader hooks.
 */
export async function startTelemetry(options: { serviceName: string; config: TelemetryConfig }): Promise<Telemetry | null> {
  if (!options.config.endpoint || options.config.disabled) return null;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { detectResources, envDetector, resourceFromAttributes }] =
    await Promise.all([import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/resources')]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name the process gives itself.
  const resource = resourceFromAttributes({ 'service.name': options.serviceName }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  enabled = true;
  return {
    async shutdown() {
      await provider.shutdown().catch(() => undefined);
      enabled = false;
    },
  };
}
