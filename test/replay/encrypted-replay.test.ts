import { Worker, type ReplayResult } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { payloadDataConverter } from '../../src/infra/payload-codec';
import { readHistories } from './histories';
import { productWorkflows } from '../support/workflows';

/**
 * A worker that encrypts (RELANCE_PAYLOAD_KEYS set) meets runs whose payloads were written in clear: those started
 * before encryption, and every recorded history. Its codec passes them through, so every recorded history replays as it does without it.
 */
describe('recorded histories replayed by a worker that encrypts payloads', () => {
  const histories = readHistories(() => true);

  it('replays the unencrypted histories', async () => {
    expect(histories.length).toBeGreaterThanOrEqual(28);
    const results: ReplayResult[] = [];
    for await (const result of Worker.runReplayHistories(
      { ...productWorkflows(), replayName: 'relance-replay-encrypted', dataConverter: payloadDataConverter([{ id: 'k1', key: randomBytes(32) }]) },
      histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
    )) results.push(result);
    expect(results.map((r, i) => `${histories[i].file}: ${r.error ? `${r.error.name}: ${r.error.message}` : 'replayed'}`))
      .toEqual(histories.map((h) => `${h.file}: replayed`));
  });
});
