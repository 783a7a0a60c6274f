import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { errorFields, type Logger } from './logger';

export interface Tracing {
  resource: Resource;
  /** Where the worker's workflow spans (exported through a sink) go too. */
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads it and the other
 * OTEL_* variables), nothing at all when it is not. Call before anything loads `http` (the API's server spans come
 * from its instrumentation). The Temporal client interceptor carries the trace into workflows and activities.
 */
export function startTracing(service: 'relance-api' | 'relance-worker', env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return null;
  const resource = new Resource({ 'service.name': service });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const sdk = new NodeSDK({
    resource,
    spanProcessors: [spanProcessor],
    instrumentations: service === 'relance-api' ? [new HttpInstrumentation({ ignoreIncomingRequestHook: (r) => r.url === '/metrics' })] : [],
  });
  sdk.start();
  tracing = { resource, spanProcessor, shutdown: () => sdk.shutdown() };
  return tracing;
}

let tracing: Tracing | null = null;

/**
 * Flushes the spans still buffered (the batch processor exports every few seconds) and stops tracing, when it runs:
 * on the way out of the API and the worker. A failure is logged, never thrown: it must not stop the rest of the shutdown.
 */
export async function shutdownTracing(logger: Logger): Promise<void> {
  const started = tracing;
  tracing = null;
  try {
    await started?.shutdown();
  } catch (err) {
    logger.error('flushing the traces at shutdown failed', errorFields(err));
  }
}

/** The Temporal client interceptors: the OpenTelemetry one when tracing runs, none otherwise. */
export function temporalClientInterceptors(): { workflow: OpenTelemetryWorkflowClientInterceptor[] } | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
