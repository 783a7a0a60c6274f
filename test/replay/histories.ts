import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedWorkflowModules } from '../../src/worker/workflow-bundles';

/** Recorded by `npm run histories:record` (histories.record.ts), one file per workflow path, named `<workflow-type>.<path>.json`. */
export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export interface RecordedHistory {
  file: string;
  workflowType: string;
  workflowId: string;
  history: History;
}

/** Every history file, in name order. */
export function readHistories(filter: (file: string) => boolean = () => true): RecordedHistory[] {
  return readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json') && filter(f)).sort().map((file) => {
    let history: History;
    try {
      history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    } catch (err) {
      const why = (err as Error).message;
      // protojson checks `instanceof Type`: it fails so when npm nests a copy of protobufjs under each SDK package.
      const hint = why.includes('must be a Type') ? ' (more than one copy of protobufjs 8 is installed: see `npm ls protobufjs`)' : '';
      throw new Error(`test/histories/${file} is not a history in Temporal's JSON format: ${why}${hint}`);
    }
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (!started?.workflowType?.name) throw new Error(`test/histories/${file} does not begin with WorkflowExecutionStarted`);
    // The started event carries the workflow id on real servers, and in the recorded files (the recorder fills it: a
    // sweep names a workflow after its own id); a file without it replays with its file name.
    return { file, workflowType: started.workflowType.name, workflowId: started.workflowId || file, history };
  });
}

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Replays each history against the workflow module at `workflowsPath` (bundled once for all); answers each file's result. */
export async function replay(workflowsPath: string, histories: RecordedHistory[]): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const replays = Worker.runReplayHistories(
    { workflowsPath, bundlerOptions: sharedWorkflowModules(workflowsPath, { traced: false }), replayName: 'relance-replay' },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  // The SDK replays one history at a time and answers in order.
  for await (const result of replays) results.set(histories[results.size].file, result);
  return results;
}
