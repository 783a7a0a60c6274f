import path from 'node:path';

/**
 * The pre-built workflow code (src/worker/bundle-workflows.ts): with the OpenTelemetry interceptors or not, and with
 * the failure converter that moves failure messages into (encrypted) payloads or not, as workflow failures are made
 * inside the workflow sandbox.
 */
export function workflowBundlePath(options: { traced: boolean; encrypted: boolean }): string {
  return path.join(__dirname, '..', `workflow-bundle${options.traced ? '-otel' : ''}${options.encrypted ? '-encrypted' : ''}.js`);
}

/**
 * Bundler options of every worker, replayer and test worker: the workflow modules (ours and what they import, the
 * OpenTelemetry API among them) are evaluated once per worker and shared by all its runs (the SDK's `preloadModules`),
 * instead of once for every run the worker starts or takes over (about a millisecond of the workflow thread per
 * approval: bench/README.md). It is safe only while no workflow module keeps state at module scope (a run's state
 * lives in its workflow function): the lint forbids top-level `let`, `var` and collections in src/workflows and
 * src/contracts. The SDK freezes the shared modules' exports, so a run writing to one fails its workflow task; it
 * cannot freeze a module's variables or a Map's contents, which would leak from run to run. A traced worker shares
 * nothing: its OpenTelemetry interceptors give each run a tracer provider of its own, kept in the OpenTelemetry API's
 * module state (shared, a run's first workflow task fails).
 */
export function sharedWorkflowModules(workflowsPath: string, options: { traced: boolean }): { preloadModules: string[] } {
  return { preloadModules: options.traced ? [] : [workflowsPath] };
}
