import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { ENCRYPTED_ENCODING, payloadDataConverter } from '../../src/infra/payload-codec';
import { testEnv } from '../support/env';
import { refusesInvoice } from './fixtures/encrypted-failures.workflows';

/** Every byte string of a history read as UTF-8, as whoever reads Temporal's database would. */
function readable(value: unknown): string {
  const utf8 = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (Array.isArray(v)) return v.map(utf8);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, utf8(child)]));
    return v;
  };
  return JSON.stringify(utf8(value));
}

/**
 * Failure messages are payloads too once payloads are encrypted: an activity's error and a workflow's failure reach
 * Temporal's history as "Encoded failure" with the message and stack trace encrypted, and come back whole to a client
 * with the key. (The worker here bundles the workflow from source with the same data converter as the product's.)
 */
describe('encrypted failure messages', () => {
  const dataConverter = payloadDataConverter([{ id: 'k1', key: randomBytes(32) }]);
  const taskQueue = `encrypted-failures-${randomUUID().slice(0, 8)}`;
  const invoiceNumber = `INV-${randomUUID().slice(0, 8)}`;
  let nativeConnection: NativeConnection;
  let connection: Connection;

  beforeAll(async () => {
    nativeConnection = await NativeConnection.connect({ address: testEnv().temporalAddress });
    connection = await Connection.connect({ address: testEnv().temporalAddress });
  });
  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  });

  it('keeps the invoice number of an activity error and of the workflow failure out of the history', async () => {
    const worker = await Worker.create({
      connection: nativeConnection, namespace: testEnv().temporalNamespace, taskQueue, dataConverter,
      workflowsPath: require.resolve('./fixtures/encrypted-failures.workflows'),
      activities: { refuseInvoice: async (n: string) => { throw new Error(`the customer of invoice ${n} is on hold`); } },
    });
    const client = new Client({ connection, namespace: testEnv().temporalNamespace, dataConverter });
    const workflowId = `encrypted-failures-${randomUUID()}`;
    const failed = await worker.runUntil(client.workflow.execute(refusesInvoice, { args: [invoiceNumber], taskQueue, workflowId }).catch((err) => err));

    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect(failed.cause.message).toBe(`invoice ${invoiceNumber} cannot be approved`);
    expect(failed.cause.cause.cause.message).toBe(`the customer of invoice ${invoiceNumber} is on hold`);

    const history = await new Client({ connection, namespace: testEnv().temporalNamespace }).workflow.getHandle(workflowId).fetchHistory();
    const text = readable(history);
    expect(text).not.toContain(invoiceNumber);
    expect(text).toContain('Encoded failure');
    expect(text).toContain(ENCRYPTED_ENCODING);
  });
});
