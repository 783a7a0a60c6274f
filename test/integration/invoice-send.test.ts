import { ConflictException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import type { ApprovalsService } from '../../src/api/approvals/approvals.service';
import type { AuthUser } from '../../src/api/auth/current-user.decorator';
import { InvoicesService } from '../../src/api/invoices/invoices.service';
import { createDataSource } from '../../src/db/data-source';
import { DomainError } from '../../src/domain/errors';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { testEnv } from '../support/env';
import { mailsTo } from '../support/mail';

/**
 * POST /v1/invoices/:id/send as the API runs it, when the mail server takes the message and then goes silent (a
 * hung relay): the customer may have it, so the client's retry must not email it again.
 */
describe('sending an invoice through a mail server that stops answering', () => {
  let dataSource: DataSource;
  let server: Server;
  let port: number;
  let taken = 0;
  const sockets: Socket[] = [];
  const mailers: Mailer[] = [];

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 3).initialize();
    server = createServer((socket) => {
      sockets.push(socket);
      let inData = false;
      socket.write('220 hung.test ESMTP\r\n');
      socket.on('data', (chunk) => {
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          if (inData) {
            if (line === '.') taken += 1; // the whole message arrived; its acceptance is never answered
            continue;
          }
          if (/^(EHLO|HELO)/i.test(line)) socket.write('250 hung.test\r\n');
          else if (/^(MAIL|RCPT)/i.test(line)) socket.write('250 OK\r\n');
          else if (/^DATA/i.test(line)) {
            inData = true;
            socket.write('354 go ahead\r\n');
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    mailers.forEach((m) => m.close());
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => server.close(r));
    await dataSource?.destroy();
  });

  const service = (smtpUrl: string) => {
    const mailer = createMailer(smtpUrl, 'Relance <no-reply@relance.test>');
    mailers.push(mailer);
    return new InvoicesService(dataSource, mailer, undefined as unknown as ApprovalsService);
  };

  async function seed() {
    const tag = randomUUID().slice(0, 8);
    const company = { name: `Hung ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'USD', plan: 'advanced' as const };
    const [{ id: companyId }] = await dataSource.query(
      'INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [company.name, company.locale, company.timezone, company.currency, company.plan]);
    const email = `ada-${tag}@hung.test`;
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, email]);
    const customerEmail = `buyer-${tag}@hung.test`;
    const [{ id: customerId }] = await dataSource.query(
      `INSERT INTO customers (company_id, name, email) VALUES ($1, 'Buyer', $2) RETURNING id`, [companyId, customerEmail]);
    const [{ id: invoiceId }] = await dataSource.query(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
       VALUES ($1, $2, $3, 100, 100, '2026-12-01', '2027-01-01', $4) RETURNING id`, [companyId, `H-${tag}`, customerId, userId]);
    const user: AuthUser = { id: userId, companyId, role: 'admin', name: 'Ada', email, apiKeyId: randomUUID(), company: { id: companyId, ...company } };
    return { user, invoiceId, customerEmail };
  }

  it('answers 503 "may have reached the customer" when the server goes silent after the message, and the retry sends nothing (409)', async () => {
    const s = await seed();
    const before = taken;
    const stalled = await service(`smtp://127.0.0.1:${port}?socketTimeout=800`).send(s.user, s.invoiceId).then(() => null, (e: unknown) => e);
    expect(taken - before).toBe(1);
    // The client retries against a mail server that answers: the earlier send may have arrived, so none goes out.
    const retried = await service(testEnv().smtpUrl).send(s.user, s.invoiceId).then(() => null, (e: unknown) => e);
    expect(await mailsTo(s.customerEmail)).toEqual([]);
    expect(taken - before).toBe(1);

    expect(stalled).toBeInstanceOf(DomainError);
    expect((stalled as DomainError).statusCode).toBe(503);
    expect((stalled as DomainError).message).toMatch(/may have reached the customer/);
    expect(retried).toBeInstanceOf(ConflictException);
    expect((retried as ConflictException).message).toMatch(/not sent twice/);
    const [invoice] = await dataSource.query('SELECT sent_at FROM invoices WHERE id = $1', [s.invoiceId]);
    expect(invoice.sent_at).toBeNull();
  }, 30_000);
});
