import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { ENCODED_FAILURES_PATH } from '../infra/payload-codec';
import { sharedWorkflowModules, workflowBundlePath } from './workflow-bundles';

/**
 * Build step: bundles the workflow code once so that workers start without running webpack. Four bundles: with the
 * OpenTelemetry workflow interceptors, for workers that trace (OTEL_EXPORTER_OTLP_ENDPOINT set), or not; with the
 * failure converter of workers that encrypt payloads (RELANCE_PAYLOAD_KEYS set), or not.
 */
async function main(): Promise<void> {
  for (const traced of [false, true]) {
    for (const encrypted of [false, true]) {
      const workflowsPath = require.resolve('../workflows');
      const { code } = await bundleWorkflowCode({
        workflowsPath, ...sharedWorkflowModules(workflowsPath, { traced }), logger: new DefaultLogger('WARN'),
        ...(traced && { workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] }),
        ...(encrypted && { failureConverterPath: ENCODED_FAILURES_PATH }),
      });
      await writeFile(workflowBundlePath({ traced, encrypted }), code);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
