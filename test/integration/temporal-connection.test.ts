import { Client, isGrpcDeadlineError, WorkflowNotFoundError } from '@temporalio/client';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { RelanceConnection } from '../../src/infra/temporal-connection';
import { testEnv } from '../support/env';

// RelanceConnection keeps Node's async hook off between scoped calls; these check that calls still reach the right
// namespace and that deadlines still hold, across awaits and while other scoped calls start and end.
describe('RelanceConnection against the Temporal dev server', () => {
  it('runs on the SDK version whose internals it was checked against', () => {
    // RelanceConnection overrides Connection's withMetadata/withDeadline/withAbortSignal and disables its
    // callContextStorage. On an upgrade, re-read the SDK's Connection, rerun bench:api, then move this pin.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('@temporalio/client/package.json').version).toBe('1.24.0');
    const storage = (connection as unknown as { callContextStorage?: AsyncLocalStorage<unknown> }).callContextStorage;
    expect(typeof storage?.disable).toBe('function');
  });

  let connection: RelanceConnection;
  let client: Client;
  let storage: AsyncLocalStorage<unknown>;

  beforeAll(async () => {
    connection = await RelanceConnection.connectTo(testEnv().temporalNamespace, { address: testEnv().temporalAddress });
    client = new Client({ connection, namespace: testEnv().temporalNamespace });
    storage = (connection as unknown as { callContextStorage: AsyncLocalStorage<unknown> }).callContextStorage;
  });
  afterAll(async () => {
    await connection?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  it('calls the namespace without entering a call context', async () => {
    const run = jest.spyOn(storage, 'run');
    // Not found in the namespace (rather than a namespace error): the call reached it.
    await expect(client.workflow.getHandle(`no-such-workflow-${Date.now()}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(run).not.toHaveBeenCalled();
  });

  it('still scopes other metadata to its calls', async () => {
    const run = jest.spyOn(storage, 'run');
    await connection.withMetadata({ 'x-relance-test': 'yes' }, () => connection.workflowService.getSystemInfo({}));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('keeps a deadline across awaits, while a shorter scoped call starts and ends, then turns the storage off', async () => {
    const disable = jest.spyOn(storage, 'disable');
    const late = connection.withDeadline(Date.now() + 200, async () => {
      await sleep(400);
      return connection.workflowService.getSystemInfo({});
    });
    await connection.withDeadline(Date.now() + 10_000, () => connection.workflowService.getSystemInfo({}));
    expect(disable).not.toHaveBeenCalled();
    const err = await late.then(() => undefined, (e: unknown) => e);
    expect(isGrpcDeadlineError(err)).toBe(true);
    expect(disable).toHaveBeenCalledTimes(1);
  });
});
