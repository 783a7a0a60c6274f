import { Client, Connection } from '@temporalio/client';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { approvalCompany, ApprovalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { Http, HttpResult } from '../support/http';
import { Stack } from '../support/stack';
import { until } from '../support/until';

const INVOICES = 12;
// A dozen submissions, their races and the wait for every run to settle, on a machine shared with other suites.
jest.setTimeout(180_000);

/**
 * Races through the public API, each on a dozen invoices at once, as users cause them: a decision and an edit of the
 * invoice at the same moment, two approvers at once, a double submit. Whoever wins, nothing answers 5xx, the invoice
 * and its approval agree, no run is left pending with its run ended (nor the other way round), no approval task stays
 * open on a decided invoice, and Postgres never detects a deadlock.
 */
describe('approval races', () => {
  const stack = new Stack('approval-races');
  let http: Http;
  let temporal: Client;
  const postgresLog = path.join(testEnv().logDir, 'postgres.log');
  let logOffset = 0;
  const answered: { race: string; route: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    logOffset = existsSync(postgresLog) ? statSync(postgresLog).size : 0;
    await stack.start();
    http = new Http(stack.baseUrl);
    temporal = new Client({ connection: await Connection.connect({ address: testEnv().temporalAddress }), namespace: testEnv().temporalNamespace });
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await closeDb();
    await stack.stop();
  });

  /** Two approvers (any one decides the step), so that two of them can decide at once. */
  const company = () => approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver, ids.outsider], timeoutDays: 30 }));

  /** Records every answer of a race, for the 5xx check and to say what happened when a check fails. */
  async function record(race: string, route: string, request: Promise<HttpResult>): Promise<number> {
    const res = await request;
    answered.push({ race, route, status: res.status, body: res.body });
    return res.status;
  }

  async function submittedInvoices(c: ApprovalCompany): Promise<{ id: string; number: string }[]> {
    const invoices = await Promise.all(Array.from({ length: INVOICES }, () => createLargeInvoice(c)));
    await Promise.all(invoices.map(async (inv) => {
      expect((await c.creator.http.post(`/v1/invoices/${inv.id}/submit-for-approval`)).status).toBe(200);
      await until(() => tasksOf(c.approver, 'open', inv.id), (t) => t.length === 1, 'the approval task');
    }));
    return invoices;
  }

  interface Settled {
    invoiceStatus: string;
    viewStatus: string;
    approvals: { workflowId: string; status: string; run: string }[];
    openTasksOfDecided: number;
  }

  async function settledState(c: ApprovalCompany, invoiceId: string): Promise<Settled> {
    const [invoice, view] = await Promise.all([c.creator.http.get(`/v1/invoices/${invoiceId}`), c.creator.http.get(`/v1/invoices/${invoiceId}/approval`)]);
    const approvals = await sql<{ workflowId: string; status: string }>(
      'SELECT workflow_id AS "workflowId", status FROM approvals WHERE invoice_id = $1 ORDER BY submission', [invoiceId]);
    const runs = await Promise.all(approvals.map(async (a) => ({
      ...a, run: (await temporal.workflow.getHandle(a.workflowId).describe().catch(() => ({ status: { name: 'NOT_FOUND' } }))).status.name,
    })));
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks t JOIN approvals a ON a.id = t.approval_id
        WHERE a.invoice_id = $1 AND a.status <> 'pending' AND t.status = 'open'`, [invoiceId]);
    return { invoiceStatus: invoice.body.approvalStatus, viewStatus: view.body.status, approvals: runs, openTasksOfDecided: n };
  }

  /** Pending in the database exactly while its run runs; the invoice says what its latest approval says. */
  function consistent(s: Settled): boolean {
    const latest = s.approvals[s.approvals.length - 1];
    const runsAgree = s.approvals.every((a) => (a.status === 'pending') === (a.run === 'RUNNING'));
    const invoiceAgrees = s.invoiceStatus === 'pending_approval' ? latest?.status === 'pending'
      : s.invoiceStatus === 'approved' || s.invoiceStatus === 'rejected' ? latest?.status === s.invoiceStatus
        : latest?.status !== 'pending';
    return runsAgree && invoiceAgrees && s.viewStatus === s.invoiceStatus && s.openTasksOfDecided === 0;
  }

  async function expectConsistent(c: ApprovalCompany, invoices: { id: string }[]): Promise<Settled[]> {
    return Promise.all(invoices.map((inv) => until(() => settledState(c, inv.id), consistent, `invoice ${inv.id} and its approval to agree`,
      { attempts: 100, intervalMs: 200 })));
  }

  const approve = (c: ApprovalCompany, id: string, by = c.approver) => by.http.post(`/v1/invoices/${id}/approve`, { comment: 'ok' });
  const reject = (c: ApprovalCompany, id: string, by = c.approver) => by.http.post(`/v1/invoices/${id}/reject`, { reason: 'not ours' });
  const editAmount = (c: ApprovalCompany, id: string) => c.creator.http.patch(`/v1/invoices/${id}`, { amount: '1300.00' });

  it('approve at the same moment as an edit of the amount', async () => {
    const c = await company();
    const invoices = await submittedInvoices(c);
    const results = await Promise.all(invoices.map((inv) => Promise.all([
      record('approve vs edit', 'approve', approve(c, inv.id)), record('approve vs edit', 'patch', editAmount(c, inv.id)),
    ])));
    for (const [decided, edited] of results) {
      expect([200, 409]).toContain(decided);
      expect(edited).toBe(200);
    }
    const states = await expectConsistent(c, invoices);
    // Approved then edited, or edited first: either way the new amount needs a new approval.
    expect(states.map((s) => s.invoiceStatus)).toEqual(invoices.map(() => 'approval_required'));
  });

  it('reject at the same moment as an edit of the amount', async () => {
    const c = await company();
    const invoices = await submittedInvoices(c);
    const results = await Promise.all(invoices.map((inv) => Promise.all([
      record('reject vs edit', 'reject', reject(c, inv.id)), record('reject vs edit', 'patch', editAmount(c, inv.id)),
    ])));
    for (const [decided, edited] of results) {
      expect([200, 409]).toContain(decided);
      expect(edited).toBe(200);
    }
    const states = await expectConsistent(c, invoices);
    // Rejected then edited, or edited first: either way the invoice goes back to its creator, to be submitted again.
    expect(states.map((s) => s.invoiceStatus)).toEqual(invoices.map(() => 'approval_required'));
  });

  it('approve at the same moment as an edit, right after the submission', async () => {
    const c = await company();
    const invoices = await Promise.all(Array.from({ length: INVOICES }, () => createLargeInvoice(c)));
    const results = await Promise.all(invoices.map(async (inv) => {
      const submitted = await record('approve vs edit after submit', 'submit', c.creator.http.post(`/v1/invoices/${inv.id}/submit-for-approval`));
      return [submitted, ...await Promise.all([
        record('approve vs edit after submit', 'approve', approve(c, inv.id)),
        record('approve vs edit after submit', 'patch', c.creator.http.patch(`/v1/invoices/${inv.id}`, { memo: 'PO 4471' })),
      ])];
    }));
    for (const [submitted, decided, edited] of results) {
      expect(submitted).toBe(200);
      expect([200, 409]).toContain(decided);
      expect(edited).toBe(200);
    }
    const states = await expectConsistent(c, invoices);
    expect(states.map((s) => s.approvals.map((a) => a.run))).toEqual(invoices.map(() => ['COMPLETED']));
  });

  it('two approvers deciding at once: one wins, the other is told 409', async () => {
    const c = await company();
    const invoices = await submittedInvoices(c);
    const results = await Promise.all(invoices.map((inv, i) => Promise.all([
      record('two approvers', 'approve', approve(c, inv.id, c.approver)),
      record('two approvers', i % 2 ? 'reject' : 'approve', i % 2 ? reject(c, inv.id, c.outsider) : approve(c, inv.id, c.outsider)),
    ])));
    expect(results.map((r) => [...r].sort())).toEqual(invoices.map(() => [200, 409]));
    const states = await expectConsistent(c, invoices);
    for (const [i, s] of states.entries()) {
      // The first approver approves; the second approves (even invoices) or rejects (odd ones).
      expect(s.invoiceStatus).toBe(results[i][0] === 200 || i % 2 === 0 ? 'approved' : 'rejected');
      expect(s.approvals.map((a) => a.run)).toEqual(['COMPLETED']);
    }
    const decisions = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = ANY($1::uuid[]) GROUP BY a.id`,
      [invoices.map((inv) => inv.id)]);
    expect(decisions).toEqual(invoices.map(() => ({ n: 1 })));
  });

  it('a double submit makes one run', async () => {
    const c = await company();
    const invoices = await Promise.all(Array.from({ length: INVOICES }, () => createLargeInvoice(c)));
    const results = await Promise.all(invoices.map((inv) => Promise.all([1, 2].map(() =>
      record('double submit', 'submit', c.creator.http.post(`/v1/invoices/${inv.id}/submit-for-approval`))))));
    expect(results.map((r) => [...r].sort())).toEqual(invoices.map(() => [200, 409]));
    const states = await expectConsistent(c, invoices);
    expect(states.map((s) => [s.invoiceStatus, s.approvals.map((a) => [a.status, a.run])]))
      .toEqual(invoices.map(() => ['pending_approval', [['pending', 'RUNNING']]]));
    await Promise.all(invoices.map((inv) => until(() => tasksOf(c.approver, 'open', inv.id), (t) => t.length === 1, 'one approval task')));
  });

  it('answered no race with a 5xx, and Postgres detected no deadlock', async () => {
    expect(answered.filter((a) => a.status >= 500)).toEqual([]);
    const log = existsSync(postgresLog) ? readFileSync(postgresLog).subarray(logOffset).toString('utf8') : undefined;
    expect(log).toBeDefined();
    expect(log!.split('\n').filter((line) => /deadlock detected/.test(line))).toEqual([]);
  });
});
