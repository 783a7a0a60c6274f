import type { ReplayResult } from '@temporalio/worker';
import * as workflows from '../../src/workflows';
import { kebab, readHistories, replay } from './histories';

const histories = readHistories();

describe('recorded workflow histories (test/histories/)', () => {
  let results: Map<string, ReplayResult>;

  beforeAll(async () => {
    results = await replay(require.resolve('../../src/workflows'), histories);
  });

  it.each(histories.map((h) => h.file))('%s replays against src/workflows', (file) => {
    const result = results.get(file);
    if (!result) throw new Error(`test/histories/${file} was not replayed`);
    if (result.error) {
      throw new Error(`test/histories/${file} does not replay against src/workflows: ${result.error.name}: ${result.error.message}\n` +
        'A run in flight with this history would fail its next workflow task: guard the change with patched() (README, "Changing a workflow").');
    }
  });

  it('holds a history of every workflow type src/workflows/index.ts exports, each file named after its type', () => {
    const types = Object.entries(workflows).filter(([, value]) => typeof value === 'function').map(([name]) => name);
    expect(types.length).toBeGreaterThan(0);
    const missing = types.filter((type) => !histories.some((h) => h.workflowType === type));
    if (missing.length) {
      throw new Error(`no history in test/histories/ for the workflow type(s) ${missing.join(', ')}: add its paths to ` +
        'test/replay/histories.record.ts and run `npm run histories:record`');
    }
    expect(histories.filter((h) => !h.file.startsWith(`${kebab(h.workflowType)}.`)).map((h) => `${h.file} (${h.workflowType})`)).toEqual([]);
  });
});
