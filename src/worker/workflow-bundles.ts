import path from 'node:path';

/**
 * The pre-built workflow code (src/worker/bundle-workflows.ts): with the OpenTelemetry interceptors or not, and with
 * the failure converter that moves failure messages into (encrypted) payloads or not, as workflow failures are made
 * inside the workflow sandbox.
 */
export function workflowBundlePath(options: { traced: boolean; encrypted: boolean }): string {
  return path.join(__dirname, '..', `workflow-bundle${options.traced ? '-otel' : ''}${options.encrypted ? '-encrypted' : ''}.js`);
}
