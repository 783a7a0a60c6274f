import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { DomainError } from '../../src/domain/errors';
import { ApprovalMatcher, type EvaluateConditions } from '../../src/api/approvals/approval-matcher';
import { ApprovalsService, assertInvoiceSendable } from '../../src/api/approvals/approvals.service';
import type { AuthUser } from '../../src/api/auth/current-user.decorator';
import { TemporalClient } from '../../src/api/temporal/temporal.module';
import type { Config } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { Invoice, WorkflowDefinition } from '../../src/db/entities';
import { createWorker } from '../../src/worker/create-worker';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { refusal } from '../support/approval-integration';
import { testEnv } from '../support/env';
import { mailsTo, waitForMails } from '../support/mail';
import { until } from '../support/until';

interface Company {
  id: string;
  customerId: string;
  creator: AuthUser & { email: string };
  approver: AuthUser & { email: string };
  second: AuthUser & { email: string };
  admin: AuthUser & { email: string };
  watcher: AuthUser & { email: string };
  definitionId: string;
}


/**
 * The approvals service as the API runs it, against the real Postgres, Temporal dev server, SMTP listener and a real
 * worker (in process, on its own task queue). The HTTP layer and its auth come with the invoices/auth integration.
 */
describe(ApprovalsService.name, () => {
  const taskQueue = `approvals-it-${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let temporal: TemporalClient;
  let worker: Worker;
  let workerConnection: NativeConnection;
  let running: Promise<void>;
  let mailer: Mailer;
  let service: ApprovalsService;
  let matches = true;

  async function startWorker(): Promise<void> {
    const created = await createWorker(
      { temporalAddress: testEnv().temporalAddress, temporalNamespace: testEnv().temporalNamespace, taskQueue },
      { dataSource, mailer },
    );
    worker = created.worker;
    workerConnection = created.connection;
    running = worker.run();
  }

  async function stopWorker(): Promise<void> {
    worker.shutdown();
    await running;
    await workerConnection.close();
  }

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 4);
    mailer = createMailer(testEnv().smtpUrl, 'Relance <no-reply@relance.test>');
    await dataSource.initialize();
    temporal = new TemporalClient({ temporalAddress: testEnv().temporalAddress, temporalNamespace: testEnv().temporalNamespace, taskQueue } as Config);
    // Stands in for src/domain/conditions.ts, which this branch does not have: the matching itself is its own spec.
    const evaluate: EvaluateConditions = () => matches;
    service = new ApprovalsService(dataSource, temporal, new ApprovalMatcher(dataSource.getRepository(WorkflowDefinition), evaluate));
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    await stopWorker();
    await temporal?.connection.close();
    mailer?.close();
    await dataSource?.destroy();
  });

  async function company(actions?: (ids: Record<string, string>) => unknown[]): Promise<Company> {
    const tag = randomUUID().slice(0, 8);
    const [{ id }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
      [`Approvals ${tag}`]);
    const info = { id, name: `Approvals ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced' as const };
    const user = async (name: string, role: 'admin' | 'standard') => {
      const email = `${name}-${tag}@approvals.test`;
      const [{ id: userId }] = await dataSource.query(
        'INSERT INTO users (company_id, name, email, role) VALUES ($1, $2, $3, $4) RETURNING id', [id, name, email, role]);
      return { id: userId as string, companyId: id as string, role, company: info, email, name, apiKeyId: randomUUID() };
    };
    const creator = await user('creator', 'standard');
    const approver = await user('approver', 'standard');
    const second = await user('second', 'standard');
    const admin = await user('admin', 'admin');
    const watcher = await user('watcher', 'standard');
    const [{ id: customerId }] = await dataSource.query(`INSERT INTO customers (company_id, name) VALUES ($1, 'Acme') RETURNING id`, [id]);
    const ids = { approver: approver.id, second: second.id, watcher: watcher.id };
    const [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, locale)
       VALUES ($1, 'invoice-approval', 'Large invoices', 'active', $2, $3, 'en-US') RETURNING id`,
      [id, JSON.stringify([{ field: 'amount', op: 'gt', value: '1000.00' }]), JSON.stringify(actions?.(ids) ?? [
        { type: 'approval', approverIds: [approver.id], timeoutDays: 30 },
        { type: 'push', userIds: [watcher.id] },
      ])]);
    return { id, customerId, creator, approver, second, admin, watcher, definitionId };
  }

  async function invoice(c: Company, number = 'INV-1'): Promise<Invoice> {
    const [{ id }] = await dataSource.query(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status, approval_definition_id)
       VALUES ($1, $2, $3, '1250.00', '1250.00', '2026-11-28', '2026-12-28', $4, 'approval_required', $5) RETURNING id`,
      [c.id, number, c.customerId, c.creator.id, c.definitionId]);
    return dataSource.getRepository(Invoice).findOneByOrFail({ id });
  }

  const tasksOf = (invoiceId: string) =>
    dataSource.query(`SELECT assignee_id, status FROM tasks WHERE record_id = $1 AND kind = 'approval' ORDER BY created_at`, [invoiceId]) as
      Promise<{ assignee_id: string; status: string }[]>;

  it('submits: pending at once, one task per approver, the approver and the people to notify emailed, findable by InvoiceId', async () => {
    const c = await company();
    const inv = await invoice(c);
    const view = await service.submit(inv.id, c.creator);

    expect(view).toMatchObject({
      status: 'pending_approval', submission: 1, workflowId: `invoice-approval-${inv.id}-1`, currentStep: 1,
      steps: [{ step: 1, status: 'pending', approvers: [{ id: c.approver.id, name: 'approver' }] }],
      approvers: [{ id: c.approver.id, name: 'approver' }], submittedBy: { id: c.creator.id, name: 'creator' }, decisions: [],
    });
    const days = (Date.parse(view.deadline!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    expect(await until(() => tasksOf(inv.id), (t) => t.length === 1, 'the approval task')).toEqual([{ assignee_id: c.approver.id, status: 'open' }]);
    expect((await waitForMails(c.approver.email, 1)).map((m) => m.subject)).toEqual(['Approval requested: invoice INV-1']);
    expect(await waitForMails(c.watcher.email, 1)).toHaveLength(1);
    expect(() => assertInvoiceSendable(inv)).toThrow('must be approved first');

    const client = new Client({ connection: await Connection.connect({ address: testEnv().temporalAddress }), namespace: testEnv().temporalNamespace });
    try {
      const found = await until(async () => {
        const ids: string[] = [];
        for await (const wf of client.workflow.list({ query: `InvoiceId='${inv.id}'` })) ids.push(wf.workflowId);
        return ids;
      }, (ids) => ids.length === 1, 'the run in visibility');
      expect(found).toEqual([`invoice-approval-${inv.id}-1`]);
      // What an SRE reads in the Web UI: the run's summary names the invoice, its amount and its customer.
      const described = await client.workflow.getHandle(`invoice-approval-${inv.id}-1`).describe();
      expect(await described.staticSummary()).toMatch(/^Approval of invoice INV-1 \(\S+ \w+\) for Acme, submission 1: 30-day deadline$/);
    } finally {
      await client.connection.close();
    }
  });

  it('approves: 403 for a non-approver, then the approver\'s decision answers with the new status, creator told once', async () => {
    const c = await company();
    const inv = await invoice(c);
    await service.submit(inv.id, c.creator);

    expect(await refusal(service.decide(inv.id, c.second, 'approve', {}))).toMatchObject({ statusCode: 403, message: expect.stringContaining('not an approver') });
    expect(await refusal(service.decide(inv.id, c.admin, 'approve', {}))).toMatchObject({ statusCode: 403 });

    const view = await service.decide(inv.id, c.approver, 'approve', { comment: 'matches the PO' });
    expect(view).toMatchObject({
      status: 'approved', currentStep: null, steps: [{ step: 1, status: 'approved' }],
      decisions: [{ submission: 1, step: 1, decision: 'approved', by: { id: c.approver.id, name: 'approver' }, comment: 'matches the PO' }],
    });
    expect(view.decidedAt).not.toBeNull();
    expect(await tasksOf(inv.id)).toEqual([{ assignee_id: c.approver.id, status: 'completed' }]);
    expect((await waitForMails(c.creator.email, 1)).map((m) => m.subject)).toEqual(['Invoice INV-1 was approved']);
    assertInvoiceSendable(await dataSource.getRepository(Invoice).findOneByOrFail({ id: inv.id }));

    expect(await refusal(service.decide(inv.id, c.approver, 'approve', {}))).toMatchObject({ statusCode: 409 });
    // The run ends once the outcome's notices are out, which the answer does not wait for.
    const description = await until(() => temporal.workflow.getHandle(`invoice-approval-${inv.id}-1`).describe(),
      (d) => d.status.name !== 'RUNNING', 'the run to end');
    expect(description.status.name).toBe('COMPLETED');
    expect(await mailsTo(c.creator.email)).toHaveLength(1);
  });

  it('rejects with a reason; the creator edits and submits again as a new run', async () => {
    const c = await company();
    const inv = await invoice(c);
    await service.submit(inv.id, c.creator);
    expect(await refusal(service.decide(inv.id, c.approver, 'reject', { reason: ' ' }))).toMatchObject({ statusCode: 400 });
    const rejected = await service.decide(inv.id, c.approver, 'reject', { reason: 'wrong customer' });
    expect(rejected).toMatchObject({ status: 'rejected', decisions: [{ decision: 'rejected', comment: 'wrong customer' }] });
    expect(() => assertInvoiceSendable({ number: 'INV-1', approvalStatus: rejected.status })).toThrow(DomainError);

    const edited = await dataSource.getRepository(Invoice).findOneByOrFail({ id: inv.id });
    const before = { amount: edited.amount, customerId: edited.customerId, locationId: edited.locationId };
    edited.amount = '1300.00';
    await dataSource.getRepository(Invoice).update({ id: inv.id }, { amount: '1300.00', balance: '1300.00' });
    expect(await service.onInvoiceEdited(edited, before, c.creator)).toEqual({ approvalStatus: 'approval_required', approvalDefinitionId: c.definitionId });

    const again = await service.submit(inv.id, c.creator);
    expect(again).toMatchObject({ status: 'pending_approval', submission: 2, workflowId: `invoice-approval-${inv.id}-2` });
    const approved = await service.decide(inv.id, c.approver, 'approve', {});
    expect(approved.status).toBe('approved');
    expect(approved.decisions.map((d) => [d.submission, d.decision])).toEqual([[1, 'rejected'], [2, 'approved']]);
  });

  it('ends a pending run when the invoice is edited, and evaluates an approved invoice again only for amount, customer or location', async () => {
    const c = await company();
    const inv = await invoice(c);
    await service.submit(inv.id, c.creator);
    await until(() => tasksOf(inv.id), (t) => t.length === 1, 'the approval task');

    const before = { amount: inv.amount, customerId: inv.customerId, locationId: inv.locationId };
    expect((await service.onInvoiceEdited({ ...inv, memo: 'new memo' } as Invoice, before, c.creator)).approvalStatus).toBe('approval_required');
    const result = await temporal.workflow.getHandle<typeof invoiceApproval>(`invoice-approval-${inv.id}-1`).result();
    expect(result.status).toBe('cancelled');
    expect(await tasksOf(inv.id)).toEqual([{ assignee_id: c.approver.id, status: 'cancelled' }]);
    const view = await service.view(inv.id, c.creator);
    expect(view).toMatchObject({ status: 'approval_required', steps: [{ status: 'cancelled' }], decisions: [{ decision: 'cancelled', by: { id: c.creator.id } }] });
    expect(await refusal(service.decide(inv.id, c.approver, 'approve', {}))).toMatchObject({ statusCode: 409 });

    await service.submit(inv.id, c.creator);
    await service.decide(inv.id, c.approver, 'approve', {});
    const approved = await dataSource.getRepository(Invoice).findOneByOrFail({ id: inv.id });
    expect((await service.onInvoiceEdited({ ...approved, memo: 'thanks' } as Invoice, before, c.creator)).approvalStatus).toBe('approved');
    expect((await service.onInvoiceEdited({ ...approved, amount: '9000.00' } as Invoice, before, c.creator)).approvalStatus).toBe('approval_required');
  });

  it('works inside the invoices service\'s save transaction, the run ended after commit', async () => {
    const c = await company();
    const inv = await invoice(c);
    await service.submit(inv.id, c.creator);
    const { fields, cancelled } = await dataSource.transaction(async (m) => {
      const locked = await m.getRepository(Invoice).findOneOrFail({ where: { id: inv.id }, lock: { mode: 'pessimistic_write' } });
      const before = m.getRepository(Invoice).create({ ...locked });
      locked.memo = 'edited';
      const result = await service.approvalOnSave(m, { kind: 'invoice', record: locked }, before, c.creator);
      Object.assign(locked, result.fields);
      await m.getRepository(Invoice).save(locked);
      return result;
    });
    expect(fields).toEqual({ approvalStatus: 'approval_required', approvalDefinitionId: c.definitionId });
    expect(cancelled).toEqual([`invoice-approval-${inv.id}-1`]);
    await service.signalCancelled(cancelled, c.creator, 'invoice');
    expect((await temporal.workflow.getHandle<typeof invoiceApproval>(cancelled[0]).result()).status).toBe('cancelled');
  });

  it('walks two steps, each approved by its own approver', async () => {
    const c = await company((ids) => [{ type: 'approval', steps: [{ approverIds: [ids.approver] }, { approverIds: [ids.second] }] }]);
    const inv = await invoice(c);
    await service.submit(inv.id, c.creator);
    expect(await refusal(service.decide(inv.id, c.second, 'approve', {}))).toMatchObject({ statusCode: 403 });
    const first = await service.decide(inv.id, c.approver, 'approve', {});
    expect(first).toMatchObject({ status: 'pending_approval', currentStep: 2, steps: [{ status: 'approved' }, { status: 'pending' }] });
    const second = await service.decide(inv.id, c.second, 'approve', {});
    expect(second).toMatchObject({ status: 'approved', steps: [{ status: 'approved' }, { status: 'approved' }] });
    expect((await tasksOf(inv.id)).map((t) => [t.assignee_id, t.status])).toEqual([[c.approver.id, 'completed'], [c.second.id, 'completed']]);
  });

  it('refuses what it must: another company\'s invoice, a stranger submitting, an invoice that needs no approval', async () => {
    const c = await company();
    const other = await company();
    const inv = await invoice(c);
    expect(await refusal(service.view(inv.id, other.creator))).toMatchObject({ statusCode: 404 });
    expect(await refusal(service.submit(inv.id, other.admin))).toMatchObject({ statusCode: 404 });
    expect(await refusal(service.view('not-a-uuid', c.creator))).toMatchObject({ statusCode: 404 });
    expect(await refusal(service.submit(inv.id, c.second))).toMatchObject({ statusCode: 403 });
    await dataSource.query(`UPDATE invoices SET approval_status = 'not_required' WHERE id = $1`, [inv.id]);
    expect(await refusal(service.submit(inv.id, c.creator))).toMatchObject({ statusCode: 409, message: expect.stringContaining('does not need approval') });
    expect(await refusal(service.decide(inv.id, c.approver, 'approve', {}))).toMatchObject({ statusCode: 409 });
  });

  it('marks an invoice not_required on submit when no active definition asks for approval any more', async () => {
    const c = await company();
    const inv = await invoice(c);
    await dataSource.query(`UPDATE workflow_definitions SET status = 'inactive' WHERE id = $1`, [c.definitionId]);
    matches = false;
    try {
      expect((await service.submit(inv.id, c.creator)).status).toBe('not_required');
    } finally {
      matches = true;
    }
  });

  it('survives a worker restart: approved with one email per person and one task per approver', async () => {
    const c = await company();
    const inv = await invoice(c);
    await stopWorker();
    await service.submit(inv.id, c.creator);
    await startWorker();
    await until(() => tasksOf(inv.id), (t) => t.length === 1, 'the approval task');
    await stopWorker();
    await startWorker();
    expect((await service.decide(inv.id, c.approver, 'approve', {})).status).toBe('approved');

    expect(await tasksOf(inv.id)).toHaveLength(1);
    expect(await waitForMails(c.approver.email, 1)).toHaveLength(1);
    // The people to notify hear of the request and of the outcome.
    expect((await waitForMails(c.watcher.email, 2)).map((m) => m.subject).sort()).toEqual(['Approval requested: invoice INV-1', 'Invoice INV-1 was approved']);
    expect(await waitForMails(c.creator.email, 1)).toHaveLength(1);
  });
});
