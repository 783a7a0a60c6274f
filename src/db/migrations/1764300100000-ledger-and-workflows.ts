import { MigrationInterface, QueryRunner } from 'typeorm';
// created_at keeps millisecond precision so that a JavaScript Date in a pagination cursor compares exactly.

/**
 * The ledger (tenants, users, keys, customers, vendors, locations, invoices, bills, payments, deposits),
 * tasks and notifications, workflow definitions, approvals, runs and deliveries.
 * Money is numeric(14,2); instants are timestamptz; calendar days are date.
 */
export class LedgerAndWorkflows1764300100000 implements MigrationInterface {
  name = 'LedgerAndWorkflows1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE companies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      locale text NOT NULL,
      timezone text NOT NULL,
      currency char(3) NOT NULL,
      plan text NOT NULL CHECK (plan IN ('advanced', 'essentials')),
      webhook_url text,
      webhook_secret text,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL,
      email text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'standard')),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      UNIQUE (company_id, email)
    )`);
    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      prefix text NOT NULL,
      key_hash char(64) NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      revoked_at timestamptz
    )`);
    await q.query('CREATE INDEX api_keys_user ON api_keys (user_id)');

    await q.query(`CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL,
      email text,
      customer_group text,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX customers_company ON customers (company_id, created_at, id)');
    await q.query(`CREATE TABLE vendors (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL,
      email text,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX vendors_company ON vendors (company_id, created_at, id)');
    await q.query(`CREATE TABLE locations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX locations_company ON locations (company_id, created_at, id)');

    await q.query(`CREATE TABLE invoices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      number text NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers(id),
      location_id uuid REFERENCES locations(id),
      amount numeric(14,2) NOT NULL CHECK (amount >= 0),
      balance numeric(14,2) NOT NULL CHECK (balance >= 0 AND balance <= amount),
      issue_date date NOT NULL,
      due_date date NOT NULL CHECK (due_date >= issue_date),
      memo text NOT NULL DEFAULT '',
      stamp text,
      sent_at timestamptz,
      created_by uuid NOT NULL REFERENCES users(id),
      approval_status text NOT NULL DEFAULT 'not_required' CHECK (approval_status IN
        ('not_required', 'approval_required', 'pending_approval', 'approved', 'rejected')),
      approval_definition_id uuid,
      approval_submissions integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, number)
    )`);
    await q.query('CREATE INDEX invoices_company_created ON invoices (company_id, created_at, id)');
    await q.query('CREATE INDEX invoices_company_due ON invoices (company_id, due_date, id)');
    await q.query('CREATE INDEX invoices_company_approval ON invoices (company_id, approval_status, id)');
    await q.query('CREATE INDEX invoices_company_customer ON invoices (company_id, customer_id, id)');
    await q.query('CREATE INDEX invoices_company_unsent ON invoices (company_id, id) WHERE sent_at IS NULL');

    await q.query(`CREATE TABLE bills (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      vendor_id uuid NOT NULL REFERENCES vendors(id),
      location_id uuid REFERENCES locations(id),
      number text,
      amount numeric(14,2) NOT NULL CHECK (amount >= 0),
      balance numeric(14,2) NOT NULL CHECK (balance >= 0 AND balance <= amount),
      issue_date date,
      due_date date NOT NULL,
      paid_at timestamptz,
      memo text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX bills_company_created ON bills (company_id, created_at, id)');
    await q.query('CREATE INDEX bills_company_due ON bills (company_id, due_date, id)');

    await q.query(`CREATE TABLE deposits (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      amount numeric(14,2) NOT NULL,
      deposited_at timestamptz NOT NULL,
      memo text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX deposits_company_created ON deposits (company_id, created_at, id)');
    await q.query(`CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id),
      customer_id uuid NOT NULL REFERENCES customers(id),
      amount numeric(14,2) NOT NULL CHECK (amount > 0),
      received_at timestamptz NOT NULL,
      deposited_at timestamptz,
      deposit_id uuid REFERENCES deposits(id),
      method text,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX payments_company_created ON payments (company_id, created_at, id)');
    await q.query('CREATE INDEX payments_invoice ON payments (invoice_id)');
    await q.query('CREATE INDEX payments_company_undeposited ON payments (company_id, received_at, id) WHERE deposit_id IS NULL');

    await q.query(`CREATE TABLE workflow_definitions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      template_key text NOT NULL,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'active', 'inactive')),
      conditions jsonb NOT NULL DEFAULT '[]',
      actions jsonb NOT NULL DEFAULT '[]',
      schedule jsonb,
      locale text NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX workflow_definitions_company ON workflow_definitions (company_id, template_key, status)');
    await q.query('CREATE INDEX workflow_definitions_company_created ON workflow_definitions (company_id, created_at, id)');

    await q.query(`CREATE TABLE approvals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      submission integer NOT NULL,
      definition_id uuid REFERENCES workflow_definitions(id) ON DELETE SET NULL,
      workflow_id text NOT NULL UNIQUE,
      run_id text,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
      steps jsonb NOT NULL,
      current_step integer NOT NULL DEFAULT 0,
      allow_admins boolean NOT NULL DEFAULT false,
      deadline timestamptz NOT NULL,
      submitted_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      decided_at timestamptz,
      UNIQUE (invoice_id, submission)
    )`);
    await q.query('CREATE INDEX approvals_company_status ON approvals (company_id, status)');
    await q.query(`CREATE TABLE approval_decisions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      approval_id uuid NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
      step integer NOT NULL,
      decision text NOT NULL CHECK (decision IN ('approved', 'rejected', 'timeout', 'cancelled')),
      user_id uuid REFERENCES users(id),
      comment text,
      decided_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (approval_id, step)
    )`);

    await q.query(`CREATE TABLE tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      assignee_id uuid NOT NULL REFERENCES users(id),
      kind text NOT NULL CHECK (kind IN ('approval', 'reminder', 'manual')),
      title text NOT NULL,
      description text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled')),
      record_type text,
      record_id uuid,
      approval_id uuid REFERENCES approvals(id) ON DELETE CASCADE,
      definition_id uuid REFERENCES workflow_definitions(id) ON DELETE SET NULL,
      idempotency_key text UNIQUE,
      due_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      completed_at timestamptz,
      completed_by uuid REFERENCES users(id)
    )`);
    await q.query('CREATE INDEX tasks_assignee ON tasks (company_id, assignee_id, status, created_at, id)');
    await q.query('CREATE INDEX tasks_approval ON tasks (approval_id) WHERE approval_id IS NOT NULL');

    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      record_type text,
      record_id uuid,
      idempotency_key text UNIQUE,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX notifications_user ON notifications (user_id, created_at, id)');

    await q.query(`CREATE TABLE workflow_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      definition_id uuid REFERENCES workflow_definitions(id) ON DELETE SET NULL,
      kind text NOT NULL CHECK (kind IN ('sweep', 'event', 'approval')),
      trigger text NOT NULL,
      temporal_workflow_id text NOT NULL,
      temporal_run_id text NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      matched integer NOT NULL DEFAULT 0,
      delivered integer NOT NULL DEFAULT 0,
      skipped integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]',
      UNIQUE (temporal_workflow_id, temporal_run_id)
    )`);
    await q.query('CREATE INDEX workflow_runs_definition ON workflow_runs (company_id, definition_id, started_at DESC, id)');

    await q.query(`CREATE TABLE deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      definition_id uuid REFERENCES workflow_definitions(id) ON DELETE SET NULL,
      run_id uuid REFERENCES workflow_runs(id) ON DELETE SET NULL,
      record_type text NOT NULL,
      record_id uuid NOT NULL,
      occurrence text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'push', 'webhook', 'task', 'memo', 'stamp', 'send')),
      recipient text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      error text,
      attempts integer NOT NULL DEFAULT 0,
      delivery_key text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      sent_at timestamptz
    )`);
    await q.query('CREATE INDEX deliveries_run ON deliveries (run_id)');
    await q.query('CREATE INDEX deliveries_record ON deliveries (company_id, record_type, record_id)');

    await q.query(`CREATE TABLE idempotency_keys (
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      key text NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      request_hash char(64) NOT NULL,
      status_code integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      PRIMARY KEY (company_id, key)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'deliveries', 'workflow_runs', 'notifications', 'tasks', 'approval_decisions',
      'approvals', 'workflow_definitions', 'payments', 'deposits', 'bills', 'invoices', 'locations', 'vendors', 'customers',
      'api_keys', 'users', 'companies']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
