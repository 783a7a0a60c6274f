'use strict';
// The soak's workload through both APIs: approvals created, submitted and decided; sweeps of thousands of reminders
// (their invoices seeded with SQL, their definitions made through the API, fired by their Temporal Schedule or run
// now); webhooks to the receiver; and the probes that time each recovery.
const { randomUUID } = require('node:crypto');

const TIMEZONE = 'America/Toronto';

function dayIn(timezone, offsetDays) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** Runs `fn` until it resolves (the database or Temporal may be down for a while), up to `deadlineMs`. */
async function persist(what, fn, { deadlineMs = 180_000, log } = {}) {
  const until = Date.now() + deadlineMs;
  for (let wait = 250; ; wait = Math.min(2000, wait * 2)) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + wait > until) throw new Error(`${what}: ${err.message}`);
      log?.(`${what} failed (${err.message}); again in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function expect(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body ?? res.error)}`);
  return res.body;
}

class Workload {
  /**
   * `client`: a ChaosClient over both APIs; `db`: a pg Pool on the product's database; `temporal`: a Temporal client
   * (schedules fired through it); `c`: the seeded chooser; `receiver`: the webhook receiver.
   */
  constructor({ client, db, temporal, c, receiver, log, sweepSize }) {
    Object.assign(this, { client, db, temporal, c, receiver, log, sweepSize });
    this.approvals = [];
    this.sweeps = [];
    this.probes = [];
    this.companies = [];
    this.stopped = false;
  }

  async tenant(label) {
    const tag = randomUUID().slice(0, 8);
    const res = await this.client.send('POST', '/v1/companies', {
      body: {
        company: { name: `Chaos ${label} ${tag}`, locale: 'en-US', timezone: TIMEZONE, currency: 'CAD', plan: 'advanced' },
        admin: { name: 'Ada Admin', email: `admin-${tag}@chaos.test` },
      },
    });
    const body = expect(res, 201, `signing up ${label}`);
    this.companies.push(body.company.id);
    return { companyId: body.company.id, adminId: body.user.id, key: body.apiKey };
  }

  async user(t, role, name) {
    const created = expect(await this.client.send('POST', '/v1/users', {
      key: t.key, body: { name, email: `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@chaos.test`, role },
    }), 201, `creating ${name}`);
    const key = expect(await this.client.send('POST', `/v1/users/${created.user.id}/api-keys`, { key: t.key }), 201, `${name}'s key`);
    return { id: created.user.id, key: key.apiKey };
  }

  /** A company whose invoices over 1000.00 need its approver's decision, with a webhook endpoint for every event. */
  async approvalCompany(i) {
    const t = await this.tenant(`approvals ${i}`);
    const creator = await this.user(t, 'standard', 'Cora');
    const approver = await this.user(t, 'standard', 'Avery');
    const customer = expect(await this.client.send('POST', '/v1/customers', {
      key: t.key, body: { name: `Globex ${i}`, email: `billing-${randomUUID().slice(0, 8)}@globex.test` },
    }), 201, 'a customer');
    expect(await this.client.send('POST', '/v1/workflows', {
      key: t.key,
      body: {
        templateKey: 'invoice-approval', name: 'Large invoices', activate: true,
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', approverIds: [approver.id], timeoutDays: 30 }, { type: 'email', to: { userIds: [creator.id] } }],
      },
    }), 201, 'the approval definition');
    const endpoint = expect(await this.client.send('POST', '/v1/webhook-endpoints', {
      key: t.key, body: { url: this.receiver.url(`/c/${t.companyId}`), events: ['*'] },
    }), 201, 'the webhook endpoint');
    return { ...t, creator, approver, customerId: customer.id, endpointId: endpoint.id };
  }

  async setUp({ approvalCompanies = 3 } = {}) {
    this.probe = await this.tenant('probe');
    this.approvalCompanies = [];
    for (let i = 1; i <= approvalCompanies; i += 1) this.approvalCompanies.push(await this.approvalCompany(i));
  }

  /** One approval, start to end, as an integrator drives it; what it was answered is kept for the checks. */
  async oneApproval(phase) {
    const co = this.c.pick(this.approvalCompanies);
    const intended = this.c.random() < 0.7 ? 'approved' : 'rejected';
    const op = { companyId: co.companyId, intended, number: `CH-${randomUUID().slice(0, 10)}`, phase, startedAt: Date.now(), steps: {} };
    this.approvals.push(op);
    const created = await this.client.send('POST', '/v1/invoices', {
      key: co.creator.key,
      body: { number: op.number, customerId: co.customerId, amount: '1250.00', issueDate: dayIn(TIMEZONE, -5), dueDate: dayIn(TIMEZONE, 25) },
    });
    op.steps.create = summary(created);
    if (created.status === 201) op.invoiceId = created.body.id;
    else if (created.status === 409) op.invoiceId = await this.invoiceByNumber(co.companyId, op.number);
    if (!op.invoiceId) return this.done(op, 'create');
    const submitted = await this.client.send('POST', `/v1/invoices/${op.invoiceId}/submit-for-approval`, { key: co.creator.key });
    op.steps.submit = summary(submitted);
    // A 409 "already pending approval": an earlier attempt submitted it, its answer lost (a 503 once it had started).
    if (!(submitted.status === 200 || (submitted.status === 409 && !submitted.gaveUp && /already pending approval/.test(submitted.body?.message ?? '')))) {
      return this.done(op, 'submit');
    }
    const verb = intended === 'approved' ? 'approve' : 'reject';
    const decided = await this.client.send('POST', `/v1/invoices/${op.invoiceId}/${verb}`, {
      key: co.approver.key, body: intended === 'approved' ? { comment: 'chaos' } : { reason: 'chaos' },
    });
    op.steps.decide = summary(decided);
    if (decided.status === 200) op.answered = decided.body.status;
    else if (decided.status === 409 && !decided.gaveUp) {
      // Decided already (the first attempt landed, its answer was lost): the 409 names the status, when it can read it.
      op.answered = /its approval status is (?:now )?(\w+)/.exec(decided.body?.message ?? '')?.[1];
      op.conflict = decided.body?.message;
    }
    return this.done(op, op.answered || op.conflict ? undefined : 'decide');
  }

  done(op, failedAt) {
    op.endedAt = Date.now();
    if (failedAt) op.failedAt = failedAt;
    return op;
  }

  async invoiceByNumber(companyId, number) {
    const rows = await persist('finding an invoice by number', () => this.db.query(
      'SELECT id FROM invoices WHERE company_id = $1 AND number = $2', [companyId, number]).then((r) => r.rows));
    return rows[0]?.id;
  }

  /** `lanes` integrators at once, each deciding approvals one after the other until `stop()`. */
  runApprovals(lanes, phaseOf) {
    return Promise.all(Array.from({ length: lanes }, async () => {
      while (!this.stopped) {
        await this.oneApproval(phaseOf()).catch((err) => this.log(`an approval failed in the harness: ${err.message}`));
      }
    }));
  }

  /**
   * A sweep of `sweepSize` reminders: a company of its own whose invoices are due tomorrow, each of its own customer, an
   * active payment-due-reminder made through the API (which creates its Temporal Schedule), then fired: by its
   * schedule (`trigger`) or through the API (`run-now`), alternately.
   */
  async sweep(phase) {
    const n = this.sweeps.length;
    const s = { n, phase, size: this.sweepSize, how: n % 2 === 0 ? 'schedule' : 'run-now', startedAt: Date.now() };
    this.sweeps.push(s);
    try {
      const t = await this.tenant(`sweep ${n}`);
      s.companyId = t.companyId;
      await persist('seeding the sweep\'s invoices', () => this.db.query(
        `WITH c AS (
           INSERT INTO customers (company_id, name, email)
           SELECT $1::uuid, 'Sweep ' || g, 'sweep-' || g || '-' || left($1::uuid::text, 8) || '@customer.test' FROM generate_series(1, $2::int) g
           ON CONFLICT DO NOTHING RETURNING id)
         INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status)
         SELECT $1::uuid, 'SW-' || left(c.id::text, 8), c.id, 100, 100, $3::date, $4::date, $5, 'not_required' FROM c
         WHERE NOT EXISTS (SELECT 1 FROM invoices WHERE company_id = $1::uuid)`,
        [t.companyId, s.size, dayIn(TIMEZONE, -30), dayIn(TIMEZONE, 1), t.adminId]), { log: this.log });
      const def = expect(await this.client.send('POST', '/v1/workflows', {
        key: t.key,
        body: {
          templateKey: 'payment-due-reminder', name: `Due soon ${n}`, activate: true, schedule: { time: '09:00' },
          conditions: [{ field: 'dueDate', op: 'within_days', value: 3 }],
          actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due', body: 'Hello {{customerName}}' }],
        },
      }), 201, 'the reminder definition');
      s.definitionId = def.id;
      if (s.how === 'schedule') {
        await persist('triggering the schedule', () => this.temporal.schedule.getHandle(`reminder-${def.id}`).trigger(), { log: this.log });
      } else {
        expect(await this.client.send('POST', `/v1/workflows/${def.id}/run-now`, { key: t.key }), 202, 'run-now');
      }
      s.firedAt = Date.now();
    } catch (err) {
      s.error = err.message;
      this.log(`sweep ${n} could not be fired: ${err.message}`);
    }
    return s;
  }

  /** A sweep every `everyMs` until `stop()`. */
  async runSweeps(everyMs, phaseOf) {
    while (!this.stopped) {
      const next = Date.now() + everyMs;
      await this.sweep(phaseOf());
      while (!this.stopped && Date.now() < next) await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * The probes: a diagnostic round trip (API → Temporal → worker → Postgres → API) every `everyMs`, through each API in
   * turn, never retried; their answers time each recovery.
   */
  async runProbes(everyMs) {
    const apis = this.client.apiUrls;
    for (let i = 0; !this.probesStopped; i += 1) {
      const api = apis[i % apis.length];
      const sentAt = Date.now();
      const res = this.client.once(api, 'POST', '/v1/diagnostics/roundtrip', { key: this.probe.key, timeoutMs: 20_000 });
      res.then((r) => this.probes.push({ api, sentAt, ok: r.status === 200, status: r.status, doneAt: Date.now() }));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** No new approval or sweep; the probes go on (the last restarts' recovery) until `stopProbes()`. */
  stop() {
    this.stopped = true;
  }

  stopProbes() {
    this.probesStopped = true;
  }
}

const summary = (res) => ({
  status: res.status, attempts: res.attempts?.length ?? 1, gaveUp: Boolean(res.gaveUp), statuses: res.attempts?.map((a) => a.status),
  message: typeof res.body === 'object' ? res.body?.message : res.error,
});

module.exports = { Workload, persist, dayIn };
