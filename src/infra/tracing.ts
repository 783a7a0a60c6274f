import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { errorFields, type Logger } from './logger';
import { redactTokenPaths } from './token-paths';

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
    instrumentations: service === 'relance-api'
      ? [new HttpInstrumentation({ ignoreIncomingRequestHook: (r) => r.url === '/metrics', startIncomingSpanHook: redactedUrlAttributes })]
      : [],
  });
  sdk.start();
  tracing = { resource, spanProcessor, shutdown: () => sdk.shutdown() };
  return tracing;
}

let tracing: Tracing | null = null;

/**
 * A request to a token path (an emailed link: the token is its credential) gets its URL attributes with the token
 * redacted from the start; the instrumentation lets these replace its own, and its span name is the method alone.
 */
export function redactedUrlAttributes(request: IncomingMessage): Attributes {
  const target = request.url ?? '/';
  const redacted = redactTokenPaths(target);
  if (redacted === target) return {};
  const scheme = (request.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http';
  return {
    'http.target': redacted, 'http.url': `${scheme}://${request.headers.host ?? 'localhost'}${redacted}`, 'url.path': redacted.split('?')[0],
  };
}

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
