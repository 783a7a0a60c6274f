import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createApprovalActivities } from '../../src/activities/approval.activities';
import { ApprovalLinksRepository } from '../../src/db/approval-links.repository';
import { ApprovalsRepository } from '../../src/db/approvals.repository';
import { decisionTokenHash } from '../../src/infra/decision-tokens';
import type { Mailer } from '../../src/infra/mailer';
import { approvalBackends } from '../support/approval-integration';
import { waitForMails } from '../support/mail';

/**
 * A company with a standard creator, an approver, a vendor, and a bill of 980.00 pending its first submission's
 * approval (record_type bill), as the API leaves them before the workflow runs.
 */
async function seedPendingBillApproval(db: DataSource) {
  const tag = randomUUID().slice(0, 8);
  const [{ id: companyId }] = await db.query(
    `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
    [`Bill approvals ${tag}`]);
  const person = async (name: string) => {
    const email = `${name}-${tag}@bill-approvals.test`;
    const [{ id }] = await db.query(`INSERT INTO users (company_id, name, email, role) VALUES ($1, $2, $3, 'standard') RETURNING id`, [companyId, name, email]);
    return { id: id as string, email };
  };
  const creator = await person('creator');
  const approver = await person('approver');
  const [{ id: vendorId }] = await db.query(`INSERT INTO vendors (company_id, name) VALUES ($1, 'Fournitures Laval') RETURNING id`, [companyId]);
  const [{ id: billId }] = await db.query(
    `INSERT INTO bills (company_id, vendor_id, number, amount, balance, due_date, created_by, approval_status, approval_submissions)
     VALUES ($1, $2, 'B-77', '980.00', '980.00', '2026-12-28', $3, 'approval_required', 1) RETURNING id`,
    [companyId, vendorId, creator.id]);
  const workflowId = `bill-approval-${billId}-1`;
  const [{ id: approvalId }] = await db.query(
    `INSERT INTO approvals (company_id, record_type, bill_id, submission, definition_version, workflow_id, status, steps, deadline, submitted_by)
     VALUES ($1, 'bill', $2, 1, 2, $3, 'pending', $4, now() + interval '30 days', $5) RETURNING id`,
    [companyId, billId, workflowId, JSON.stringify([{ approverIds: [approver.id] }]), creator.id]);
  return { companyId, billId: billId as string, approvalId: approvalId as string, workflowId, creator, approver };
}

/** The real approval activities on a bill's approval, against the real Postgres and SMTP listener. */
describe('the approval activities of a bill', () => {
  let dataSource: DataSource;
  let smtp: Mailer;

  approvalBackends((b) => ({ dataSource, smtp } = b));

  it('marks the bill pending, opens its tasks, asks in the words of a bill, records the outcome on the bill and tells its creator, each once', async () => {
    const s = await seedPendingBillApproval(dataSource);
    const a = createApprovalActivities({ dataSource, mailer: smtp, publicUrl: 'http://relance.test' });
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: s.workflowId, runId: randomUUID() } });
    const notice = {
      approvalId: s.approvalId, companyId: s.companyId, document: { kind: 'bill' as const, id: s.billId, number: 'B-77', amount: '980.00' },
      invoiceId: '', invoiceNumber: '',
    };
    const deadline = '2026-12-28T00:00:00.000Z';
    const seats = [{ userId: s.approver.id, onBehalfOf: null }];
    for (let i = 0; i < 2; i += 1) {
      expect(await env.run(a.openApprovalStep, { ...notice, first: true, step: 0, approverIds: [s.approver.id], seats, deadline })).toEqual({ opened: 1 });
      await env.run(a.notifyApprovalRequested, { ...notice, step: 0, stepCount: 1, userIds: [s.approver.id], approverIds: [s.approver.id], push: true, deadline });
    }
    const bill = async () => (await dataSource.query('SELECT approval_status FROM bills WHERE id = $1', [s.billId]))[0].approval_status;
    expect(await bill()).toBe('pending_approval');
    expect(await dataSource.query(`SELECT record_type, record_id, title, status FROM tasks WHERE approval_id = $1`, [s.approvalId]))
      .toEqual([{ record_type: 'bill', record_id: s.billId, title: 'Approve bill B-77', status: 'open' }]);
    expect(await dataSource.query(`SELECT record_type, title FROM notifications WHERE user_id = $1`, [s.approver.id]))
      .toEqual([{ record_type: 'bill', title: 'Approval requested: bill B-77' }]);
    const [asked] = await waitForMails(s.approver.email, 1);
    expect(asked.subject).toBe('Approval requested: bill B-77');
    expect(asked.text).toContain('Bill B-77 from Fournitures Laval, CA$980.00, needs approval');
    expect(asked.text).toContain(`POST /v1/bills/${s.billId}/approve or /reject`);
    expect(asked.text).toMatch(/Approve or reject from this page: http:\/\/relance\.test\/approvals\/[A-Za-z0-9_-]{43}$/m);
    // The page behind the email's link shows the bill, its vendor and amount.
    const token = /\/approvals\/([A-Za-z0-9_-]{43})$/m.exec(asked.text)![1];
    const page = await new ApprovalLinksRepository(dataSource).findPage(decisionTokenHash(token));
    expect(page?.invoice).toEqual({
      kind: 'bill', id: s.billId, number: 'B-77', amount: '980.00', dueDate: '2026-12-28', memo: '', customerName: 'Fournitures Laval', createdBy: s.creator.id,
    });
    const deliveries = await dataSource.query(`SELECT DISTINCT record_type, record_id FROM deliveries WHERE record_id = $1`, [s.billId]);
    expect(deliveries).toEqual([{ record_type: 'bill', record_id: s.billId }]);

    const decision = { ...notice, step: 0, decision: 'approved' as const, userId: s.approver.id, comment: 'Matches the PO.', decidedAt: new Date().toISOString(),
      nextStep: null, closesStep: true, via: 'api' as const };
    const completion = { ...notice, creatorId: s.creator.id, outcome: 'approved' as const, decision: 'approved' as const, decidedBy: s.approver.id,
      comment: 'Matches the PO.', notifyUserIds: [], push: false };
    for (let i = 0; i < 2; i += 1) {
      expect(await env.run(a.settleDecision, { decision, completion })).toEqual({ applied: true });
      await env.run(a.notifyApprovalOutcome, completion);
    }
    expect(await bill()).toBe('approved');
    expect(await dataSource.query('SELECT status FROM approvals WHERE id = $1', [s.approvalId])).toEqual([{ status: 'approved' }]);
    expect(await dataSource.query(`SELECT status FROM tasks WHERE approval_id = $1`, [s.approvalId])).toEqual([{ status: 'completed' }]);
    const told = await waitForMails(s.creator.email, 1);
    expect(told.map((m) => m.subject)).toEqual(['Bill B-77 was approved']);
    expect(told[0].text).toContain('It can be paid now.');

    const history = await new ApprovalsRepository(dataSource).findHistory({ kind: 'bill', id: s.billId }, s.companyId);
    expect(history?.invoice).toMatchObject({ kind: 'bill', id: s.billId, number: 'B-77', approvalStatus: 'approved', createdBy: s.creator.id });
    expect(history?.latest).toMatchObject({ recordType: 'bill', billId: s.billId, invoiceId: null, definitionVersion: 2 });
    expect(history?.decisions.map((d) => [d.decision, d.userId])).toEqual([['approved', s.approver.id]]);
  });
});
