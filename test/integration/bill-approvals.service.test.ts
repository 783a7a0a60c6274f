import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApprovalMatcher } from '../../src/api/approvals/approval-matcher';
import { ApprovalsService } from '../../src/api/approvals/approvals.service';
import type { AuthUser } from '../../src/api/auth/current-user.decorator';
import { TemporalClient } from '../../src/api/temporal/temporal.module';
import type { Config } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { WorkflowDefinition } from '../../src/db/entities';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { createWorker } from '../../src/worker/create-worker';
import { refusal } from '../support/approval-integration';
import { testEnv } from '../support/env';
import { waitForMails } from '../support/mail';
import { until } from '../support/until';

/**
 * The approvals service on a bill, as the bill routes call it, against the real Postgres, Temporal dev server, SMTP
 * listener and a real worker (in process, on its own task queue): the same run and rules as an invoice's.
 */
describe(`${ApprovalsService.name} on a bill`, () => {
  const taskQueue = `bill-approvals-it-${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let temporal: TemporalClient;
  let worker: Worker;
  let workerConnection: NativeConnection;
  let running: Promise<void>;
  let mailer: Mailer;
  let service: ApprovalsService;

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 4);
    mailer = createMailer(testEnv().smtpUrl, 'Relance <no-reply@relance.test>');
    await dataSource.initialize();
    temporal = new TemporalClient({ temporalAddress: testEnv().temporalAddress, temporalNamespace: testEnv().temporalNamespace, taskQueue } as Config);
    service = new ApprovalsService(dataSource, temporal, new ApprovalMatcher(dataSource.getRepository(WorkflowDefinition), () => true));
    const created = await createWorker(
      { temporalAddress: testEnv().temporalAddress, temporalNamespace: testEnv().temporalNamespace, taskQueue }, { dataSource, mailer });
    worker = created.worker;
    workerConnection = created.connection;
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await temporal?.connection.close();
    mailer?.close();
    await dataSource?.destroy();
  });

  /** A company whose bill B-77 (980.00, from Fournitures Laval) was saved under its active bill approval, version 4. */
  async function seed() {
    const tag = randomUUID().slice(0, 8);
    const [{ id }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
      [`Bill approvals ${tag}`]);
    const info = { id, name: `Bill approvals ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced' as const };
    const user = async (name: string, role: 'admin' | 'standard') => {
      const email = `${name}-${tag}@bill-approvals.test`;
      const [{ id: userId }] = await dataSource.query('INSERT INTO users (company_id, name, email, role) VALUES ($1, $2, $3, $4) RETURNING id', [id, name, email, role]);
      return { id: userId as string, companyId: id as string, role, company: info, email, name, apiKeyId: randomUUID() } satisfies AuthUser & { email: string };
    };
    const creator = await user('creator', 'standard');
    const approver = await user('approver', 'standard');
    const stranger = await user('stranger', 'standard');
    const [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, locale, version)
       VALUES ($1, 'bill-approval', 'Vendor bills', 'active', '[]', $2, 'en-US', 4) RETURNING id`,
      [id, JSON.stringify([{ type: 'approval', approverIds: [approver.id], timeoutDays: 30 }])]);
    const [{ id: vendorId }] = await dataSource.query(`INSERT INTO vendors (company_id, name) VALUES ($1, 'Fournitures Laval') RETURNING id`, [id]);
    const [{ id: billId }] = await dataSource.query(
      `INSERT INTO bills (company_id, vendor_id, number, amount, balance, due_date, created_by, approval_status, approval_definition_id)
       VALUES ($1, $2, 'B-77', '980.00', '980.00', '2026-12-28', $3, 'approval_required', $4) RETURNING id`,
      [id, vendorId, creator.id, definitionId]);
    return { creator, approver, stranger, bill: { kind: 'bill' as const, id: billId as string } };
  }

  const billStatus = async (id: string) => (await dataSource.query('SELECT approval_status FROM bills WHERE id = $1', [id]))[0].approval_status;

  it('submits a bill (pending, its run bill-approval-<id>-1 findable by BillId), refuses its creator and strangers by its number, and approves it', async () => {
    const s = await seed();
    const submitted = await service.submit(s.bill, s.creator);
    expect(submitted).toMatchObject({
      kind: 'bill', billId: s.bill.id, billNumber: 'B-77', invoiceId: null, invoiceNumber: null, status: 'pending_approval',
      workflowId: `bill-approval-${s.bill.id}-1`, definitionVersion: 4, currentStep: 1,
    });
    expect(await billStatus(s.bill.id)).toBe('pending_approval');
    const asked = await waitForMails(s.approver.email, 1);
    expect(asked.map((m) => m.subject)).toEqual(['Approval requested: bill B-77']);
    expect(await until(
      () => dataSource.query(`SELECT record_type, assignee_id, status FROM tasks WHERE record_id = $1`, [s.bill.id]),
      (t) => t.length === 1, 'the bill\'s approval task')).toEqual([{ record_type: 'bill', assignee_id: s.approver.id, status: 'open' }]);

    expect(await refusal(service.decide(s.bill, s.creator, 'approve', {}))).toEqual({
      statusCode: 403, message: 'you created bill B-77 and may not decide it (no self-approval), even as an approver, admin or delegate' });
    expect(await refusal(service.decide(s.bill, s.stranger, 'approve', {})))
      .toEqual({ statusCode: 403, message: `user ${s.stranger.id} is not an approver of step 1 of bill B-77` });
    expect(await refusal(service.submit(s.bill, s.creator))).toMatchObject({ statusCode: 409, message: expect.stringContaining('bill B-77 is already pending approval') });

    const approved = await service.decide(s.bill, s.approver, 'approve', { comment: 'Matches the PO.' });
    expect(approved).toMatchObject({ kind: 'bill', status: 'approved', decisions: [expect.objectContaining({ decision: 'approved', comment: 'Matches the PO.' })] });
    expect(await billStatus(s.bill.id)).toBe('approved');
    expect(await refusal(service.decide(s.bill, s.approver, 'reject', { reason: 'late' })))
      .toMatchObject({ statusCode: 409, message: 'bill B-77 is not pending approval (its approval status is approved)' });

    const client = new Client({ connection: await Connection.connect({ address: testEnv().temporalAddress }), namespace: testEnv().temporalNamespace });
    try {
      const found = await until(async () => {
        const ids: string[] = [];
        for await (const wf of client.workflow.list({ query: `BillId='${s.bill.id}'` })) ids.push(wf.workflowId);
        return ids;
      }, (ids) => ids.length === 1, 'the run in visibility');
      expect(found).toEqual([`bill-approval-${s.bill.id}-1`]);
      const described = await client.workflow.getHandle(found[0]).describe();
      expect(described.type).toBe('documentApproval');
    } finally {
      await client.connection.close();
    }
  });

  it('cancels a pending bill\'s run when the bill is edited: the run ends cancelled, its task closes, the bill is the creator\'s again', async () => {
    const s = await seed();
    await service.submit(s.bill, s.creator);
    await until(() => dataSource.query(`SELECT status FROM tasks WHERE record_id = $1`, [s.bill.id]), (t) => t.length === 1, 'the bill\'s approval task');
    const cancelled = await dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM bills WHERE id = $1 FOR UPDATE', [s.bill.id]);
      await m.query(`UPDATE bills SET approval_status = 'approval_required' WHERE id = $1`, [s.bill.id]);
      return service.cancelPending(m, s.bill, s.creator.id);
    });
    expect(cancelled).toEqual([`bill-approval-${s.bill.id}-1`]);
    await service.signalCancelled(cancelled, s.creator, 'bill');
    expect((await temporal.workflow.getHandle(cancelled[0]).result()).status).toBe('cancelled');
    expect(await until(() => dataSource.query(`SELECT status FROM tasks WHERE record_id = $1`, [s.bill.id]),
      (t) => t.every((x: { status: string }) => x.status === 'cancelled'), 'the task cancelled')).toEqual([{ status: 'cancelled' }]);
    const view = await service.view(s.bill, s.creator);
    expect(view).toMatchObject({ status: 'approval_required', decisions: [expect.objectContaining({ decision: 'cancelled', comment: 'bill edited' })] });
  });
});
