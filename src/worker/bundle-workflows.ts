import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Build step: bundles the workflow code once so that workers start without running webpack. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  await writeFile(path.join(__dirname, '..', 'workflow-bundle.js'), code);
  // With the OpenTelemetry workflow interceptors, for workers that trace (OTEL_EXPORTER_OTLP_ENDPOINT set).
  const traced = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN'),
    workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
  });
  await writeFile(path.join(__dirname, '..', 'workflow-bundle-otel.js'), traced.code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
