import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createMailer, deliveryMessageId, type Mailer } from '../../src/infra/mailer';
import { createOutbox, type DeliveryIntent, type DeliveryPolicy } from '../../src/infra/outbox';
import { createDataSource } from '../../src/db/data-source';
import { createDeliveriesRepository, type DeliveriesRepository } from '../../src/db/deliveries.repository';
import type { Sql } from '../../src/db/sql';
import { testEnv } from '../support/env';
import { mailsTo, waitForMails } from '../support/mail';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET', syscall: 'connect', command: 'CONN' });
const cutOff = () => Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
const rejected = () => Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 no such user"),
  { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
const crash = () => {
  throw new Error('the worker died between the send and its mark');
};

/** The outbox against the real Postgres and SMTP listener: each policy through a retry after each kind of failure. */
describe(createOutbox.name, () => {
  let dataSource: DataSource;
  let smtp: Mailer;
  let deliveries: DeliveriesRepository;
  let company: { companyId: string; definitionId: string; runs: string[] };

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    smtp = createMailer(testEnv().smtpUrl, 'Relance <no-reply@relance.test>');
    deliveries = createDeliveriesRepository(dataSource);
    const tag = randomUUID().slice(0, 8);
    const [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`, [`Outbox ${tag}`]);
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@outbox.test`]);
    const [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, created_by)
       VALUES ($1, 'payment-due-reminder', 'Outbox', 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $2) RETURNING id`, [companyId, userId]);
    const runs: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const [{ id }] = await dataSource.query(
        `INSERT INTO workflow_runs (company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id)
         VALUES ($1, $2, 'sweep', 'run-now', $3, $4) RETURNING id`, [companyId, definitionId, `reminder-sweep-${tag}-${i}`, randomUUID()]);
      runs.push(id);
    }
    company = { companyId, definitionId, runs };
  });
  afterAll(async () => {
    smtp?.close();
    await dataSource?.destroy();
  });

  /** A reminder email to a new address, as attempt `attempt` of run `run`. */
  function reminder(to: string, attempt: number, run = 0): DeliveryIntent {
    const recordId = records.get(to) ?? records.set(to, randomUUID()).get(to)!;
    return {
      key: `${company.definitionId}|invoice:${recordId}|due-2026-12-02|email|${to}`,
      owner: { companyId: company.companyId, definitionId: company.definitionId, runId: company.runs[run], recordType: 'invoice', recordId },
      occurrence: 'due-2026-12-02', channel: 'email', recipient: to, attempt,
    };
  }
  const records = new Map<string, string>();
  const address = () => `customer-${randomUUID().slice(0, 8)}@outbox.test`;

  /** A send through the real SMTP listener, failing first with `failure` (thrown before anything reaches SMTP) when given. */
  function sender(to: string, policy: Exclude<DeliveryPolicy, 'inDatabase'>, failures: Array<() => Error> = []) {
    return {
      policy,
      send: async (key: string) => {
        const failure = failures.shift();
        if (failure) throw failure();
        await smtp.send({ to, subject: 'Reminder', text: 'Due tomorrow', deliveryKey: key });
      },
    };
  }
  const row = async (key: string) => (await dataSource.query('SELECT status, attempts, error, run_id FROM deliveries WHERE delivery_key = $1', [key]))[0];

  describe('atMostOnce', () => {
    it('after a crash between the send and the mark, reports the delivery in doubt and never sends it again', async () => {
      const to = address();
      const first = createOutbox(deliveries, { afterSend: crash });
      await expect(first.deliver(reminder(to, 1), sender(to, 'atMostOnce'))).rejects.toThrow('the worker died');
      const retry = createOutbox(deliveries);
      expect(await retry.deliver(reminder(to, 2), sender(to, 'atMostOnce'))).toEqual({ status: 'inDoubt', error: expect.stringContaining('not resent') });
      expect(await retry.deliver(reminder(to, 3), sender(to, 'atMostOnce'))).toMatchObject({ status: 'inDoubt' });
      // Another run leaves it alone too.
      expect(await retry.deliver(reminder(to, 1, 1), sender(to, 'atMostOnce'))).toEqual({ status: 'skipped' });
      expect(await waitForMails(to, 1)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await mailsTo(to)).toHaveLength(1);
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'pending', attempts: 1, error: expect.stringContaining('in doubt') });
    });

    it('after a send refused before SMTP accepted it, gives the claim back and the retry sends it once', async () => {
      const to = address();
      const send = sender(to, 'atMostOnce', [refused]);
      const outbox = createOutbox(deliveries);
      await expect(outbox.deliver(reminder(to, 1), send)).rejects.toThrow('ECONNREFUSED');
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('ECONNREFUSED') });
      expect(await outbox.deliver(reminder(to, 2), send)).toEqual({ status: 'delivered' });
      expect(await outbox.deliver(reminder(to, 3), send)).toEqual({ status: 'delivered' });
      expect(await waitForMails(to, 1)).toHaveLength(1);
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'sent', attempts: 2, error: null });
    });

    it('after a connection lost in the middle of the send, keeps the claim: the retry reports it in doubt', async () => {
      const to = address();
      const outbox = createOutbox(deliveries);
      await expect(outbox.deliver(reminder(to, 1), sender(to, 'atMostOnce', [cutOff]))).rejects.toThrow('closed unexpectedly');
      expect(await outbox.deliver(reminder(to, 2), sender(to, 'atMostOnce'))).toMatchObject({ status: 'inDoubt' });
      expect(await mailsTo(to)).toHaveLength(0);
    });

    /** The repository whose claim lands in Postgres but whose answer is lost with the connection. */
    const lostClaim = (): DeliveriesRepository => ({
      ...deliveries,
      claim: async (...args) => {
        await deliveries.claim(...args);
        throw new Error('Connection terminated unexpectedly');
      },
    });

    it('gives back a claim that landed though its answer was lost: the retry sends it, not in doubt', async () => {
      const to = address();
      await expect(createOutbox(lostClaim()).deliver(reminder(to, 1), sender(to, 'atMostOnce'))).rejects.toThrow('Connection terminated');
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'failed' });
      expect(await createOutbox(deliveries).deliver(reminder(to, 2), sender(to, 'atMostOnce'))).toEqual({ status: 'delivered' });
      expect(await waitForMails(to, 1)).toHaveLength(1);
    });

    it('leaves an earlier attempt\'s pending row in doubt when a later claim of it loses its answer', async () => {
      const to = address();
      await expect(createOutbox(deliveries, { afterSend: crash }).deliver(reminder(to, 1), sender(to, 'atMostOnce'))).rejects.toThrow('the worker died');
      await expect(createOutbox(lostClaim()).deliver(reminder(to, 2), sender(to, 'atMostOnce'))).rejects.toThrow('Connection terminated');
      expect(await createOutbox(deliveries).deliver(reminder(to, 3), sender(to, 'atMostOnce'))).toMatchObject({ status: 'inDoubt' });
      expect(await waitForMails(to, 1)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await mailsTo(to)).toHaveLength(1);
    });

    it('records a permanent refusal of the recipient as failed without failing, and a later run sends it', async () => {
      const to = address();
      const outbox = createOutbox(deliveries);
      expect(await outbox.deliver(reminder(to, 1), sender(to, 'atMostOnce', [rejected])))
        .toEqual({ status: 'failed', error: expect.stringContaining('550 5.1.1') });
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'failed', error: expect.stringContaining('550 5.1.1') });
      expect(await outbox.deliver(reminder(to, 1, 1), sender(to, 'atMostOnce'))).toEqual({ status: 'delivered' });
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'sent', attempts: 2, run_id: company.runs[1] });
      expect(await waitForMails(to, 1)).toHaveLength(1);
    });
  });

  describe('atLeastOnce', () => {
    it('after a crash between the send and the mark, sends again with the same Message-ID', async () => {
      const to = address();
      await expect(createOutbox(deliveries, { afterSend: crash }).deliver(reminder(to, 1), sender(to, 'atLeastOnce'))).rejects.toThrow('the worker died');
      const retry = createOutbox(deliveries);
      expect(await retry.deliver(reminder(to, 2), sender(to, 'atLeastOnce'))).toEqual({ status: 'delivered' });
      expect(await retry.deliver(reminder(to, 3), sender(to, 'atLeastOnce'))).toEqual({ status: 'delivered' });
      const mails = await waitForMails(to, 2);
      expect(mails).toHaveLength(2);
      expect(new Set(mails.map((m) => m.headers['message-id']))).toEqual(new Set([deliveryMessageId(reminder(to, 1).key)]));
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('after a connection lost in the middle, gives the claim back: the retry sends it', async () => {
      const to = address();
      const outbox = createOutbox(deliveries);
      await expect(outbox.deliver(reminder(to, 1), sender(to, 'atLeastOnce', [cutOff]))).rejects.toThrow('closed unexpectedly');
      expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'failed' });
      expect(await outbox.deliver(reminder(to, 2), sender(to, 'atLeastOnce'))).toEqual({ status: 'delivered' });
      expect(await waitForMails(to, 1)).toHaveLength(1);
    });
  });

  describe('inDatabase', () => {
    async function notifications(key: string): Promise<number> {
      return Number((await dataSource.query('SELECT count(*) FROM notifications WHERE idempotency_key = $1', [key]))[0].count);
    }
    function inbox(failFirst?: () => Error) {
      const userIdOf = async () => (await dataSource.query('SELECT id FROM users WHERE company_id = $1', [company.companyId]))[0].id;
      return {
        policy: 'inDatabase' as const,
        apply: async (tx: Sql, key: string) => {
          await tx.query(
            `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
             VALUES ($1, $2, 'Due', 'tomorrow', 'invoice', gen_random_uuid(), $3)`, [company.companyId, await userIdOf(), key]);
          const failure = failFirst;
          failFirst = undefined;
          if (failure) throw failure();
        },
      };
    }

    it('rolls the row back with an effect that failed on the infrastructure; the retry applies it once', async () => {
      const intent = { ...reminder(address(), 1), channel: 'push' as const };
      const effect = inbox(refused);
      const outbox = createOutbox(deliveries);
      await expect(outbox.deliver(intent, effect)).rejects.toThrow('ECONNREFUSED');
      expect(await row(intent.key)).toBeUndefined();
      expect(await notifications(intent.key)).toBe(0);
      expect(await outbox.deliver({ ...intent, attempt: 2 }, effect)).toEqual({ status: 'delivered' });
      expect(await outbox.deliver({ ...intent, attempt: 3 }, effect)).toEqual({ status: 'delivered' });
      expect(await outbox.deliver({ ...intent, attempt: 1, owner: { ...intent.owner, runId: company.runs[1] } }, effect)).toEqual({ status: 'skipped' });
      expect(await notifications(intent.key)).toBe(1);
      expect(await row(intent.key)).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('runs a one-statement effect in the claim\'s statement, only when it took the row', async () => {
      const intent = { ...reminder(address(), 1), channel: 'push' as const };
      const [{ id: userId }] = await dataSource.query('SELECT id FROM users WHERE company_id = $1', [company.companyId]);
      const statement = {
        sql: `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
              SELECT $1::uuid, $2::uuid, 'Due', 'tomorrow', 'invoice', gen_random_uuid(), $3::text WHERE EXISTS (SELECT 1 FROM claimed)`,
        params: [company.companyId, userId, intent.key],
      };
      const outbox = createOutbox(deliveries);
      expect(await outbox.deliver(intent, { policy: 'inDatabase', statement })).toEqual({ status: 'delivered' });
      // No ON CONFLICT in the effect: only the guard keeps a second call from inserting again.
      expect(await outbox.deliver({ ...intent, attempt: 2 }, { policy: 'inDatabase', statement })).toEqual({ status: 'delivered' });
      expect(await notifications(intent.key)).toBe(1);
      expect(await row(intent.key)).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('records a constraint violation of the effect as the record\'s failure', async () => {
      const intent = { ...reminder(address(), 1), channel: 'task' as const };
      const outcome = await createOutbox(deliveries).deliver(intent, {
        policy: 'inDatabase',
        apply: async (tx) => { await tx.query(`INSERT INTO tasks (company_id, assignee_id, kind, title) VALUES ($1, gen_random_uuid(), 'reminder', 'x')`, [company.companyId]); },
      });
      expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('foreign key') });
      expect(await row(intent.key)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('foreign key') });
    });
  });

  it('retries the sent mark while Postgres refuses it, and the delivery is not in doubt', async () => {
    const to = address();
    let refusals = 2;
    const flaky: DeliveriesRepository = {
      ...deliveries,
      markSent: async (key, tx) => {
        if (refusals-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });
        return deliveries.markSent(key, tx);
      },
    };
    expect(await createOutbox(flaky).deliver(reminder(to, 1), sender(to, 'atMostOnce'))).toEqual({ status: 'delivered' });
    expect(refusals).toBe(-1);
    expect(await row(reminder(to, 1).key)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await waitForMails(to, 1)).toHaveLength(1);
  });
});
