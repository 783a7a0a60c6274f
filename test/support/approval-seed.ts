import { randomUUID } from 'node:crypto';

export interface SeededPerson {
  id: string;
  email: string;
}

export interface SeededApproval {
  companyId: string;
  invoiceId: string;
  approvalId: string;
  workflowId: string;
  creator: SeededPerson;
  approvers: SeededPerson[];
}

/**
 * A company with a standard creator, the given approvers, one customer, and an invoice of 1250.00 pending its first
 * submission's approval, as the API leaves them before the workflow runs; `steps` defaults to one step of every
 * approver. For suites that drive the approval activities themselves.
 */
export async function seedPendingApproval(
  db: { query(text: string, params?: unknown[]): Promise<Array<{ id: string }>> },
  o: { label: string; approvers?: Array<{ name: string; role: 'standard' | 'admin' }>; steps?: (approverIds: string[], creatorId: string) => { approverIds: string[] }[] },
): Promise<SeededApproval> {
  const tag = randomUUID().slice(0, 8);
  const domain = `${o.label.toLowerCase().replace(/\W+/g, '-')}.test`;
  const [{ id: companyId }] = await db.query(
    `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
    [`${o.label} ${tag}`]);
  const person = async (name: string, role: string): Promise<SeededPerson> => {
    const email = `${name}-${tag}@${domain}`;
    const [{ id }] = await db.query('INSERT INTO users (company_id, name, email, role) VALUES ($1, $2, $3, $4) RETURNING id', [companyId, name, email, role]);
    return { id, email };
  };
  const creator = await person('creator', 'standard');
  const approvers: SeededPerson[] = [];
  for (const a of o.approvers ?? []) approvers.push(await person(a.name, a.role));
  const [{ id: customerId }] = await db.query(`INSERT INTO customers (company_id, name) VALUES ($1, 'Acme') RETURNING id`, [companyId]);
  const [{ id: invoiceId }] = await db.query(
    `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status, approval_submissions)
     VALUES ($1, 'INV-1', $2, '1250.00', '1250.00', '2026-11-28', '2026-12-28', $3, 'pending_approval', 1) RETURNING id`,
    [companyId, customerId, creator.id]);
  const workflowId = `invoice-approval-${invoiceId}-1`;
  const approverIds = approvers.map((a) => a.id);
  const steps = o.steps ? o.steps(approverIds, creator.id) : [{ approverIds }];
  const [{ id: approvalId }] = await db.query(
    `INSERT INTO approvals (company_id, invoice_id, submission, workflow_id, status, steps, deadline, submitted_by)
     VALUES ($1, $2, 1, $3, 'pending', $4, now() + interval '30 days', $5) RETURNING id`,
    [companyId, invoiceId, workflowId, JSON.stringify(steps), creator.id]);
  return { companyId, invoiceId, approvalId, workflowId, creator, approvers };
}
