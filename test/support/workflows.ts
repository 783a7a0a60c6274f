import { sharedWorkflowModules } from '../../src/worker/workflow-bundles';

/** The product's workflows as its workers load them (their modules shared among runs), for test workers and replayers. */
export function productWorkflows(): { workflowsPath: string; bundlerOptions: { preloadModules: string[] } } {
  const workflowsPath = require.resolve('../../src/workflows');
  return { workflowsPath, bundlerOptions: sharedWorkflowModules(workflowsPath, { traced: false }) };
}
