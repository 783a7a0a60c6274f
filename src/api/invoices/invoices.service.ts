import {
  BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, Optional, UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { Mailer } from '../../infra/mailer';
import { ApprovalStatus, Customer, Invoice, Location } from '../../db/entities';
import { compareMoney, parseMoney, subtractMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../../domain/errors';
import { isDbError } from '../common/db-errors';
import { todayIn } from '../../domain/dates';
import { findOwned } from '../common/owned';
import { InvoicesRepository } from '../../db/invoices.repository';
import { ListQueryDto, splitList } from '../common/pagination';
import { findInvoiceMessagesPage } from '../../db/invoice-messages.repository';
import { mapPage, type Page } from '../../db/pagination';
import { SuppressionsRepository } from '../../db/suppressions.repository';
import { InvoiceMessageView, toInvoiceMessageView } from './invoice-message.mapper';
import { assertRange, flag } from '../common/query-filters';
import { ApprovalsService } from '../approvals/approvals.service';
import { MAILER } from '../mail/mail.module';
import { CreateInvoiceDto, ListInvoicesQueryDto, UpdateInvoiceDto } from './dto/invoice.dto';
import { renderInvoiceEmail } from './invoice-email';
import { InvoiceDocumentsRepository } from '../../db/invoice-documents.repository';
import { recordOutgoing } from '../../db/invoice-messages.repository';
import { invoicePdfFilename, renderInvoicePdf } from '../../infra/invoice-pdf';
import { InvoiceView, toInvoiceView } from './invoice.mapper';
import { createDeliveriesRepository, type DeliveriesRepository } from '../../db/deliveries.repository';
import { deliveryEffects } from '../../db/delivery-effects';
import { beforeSending, classifyFailure } from '../../infra/delivery-failures';
import { createOutbox, deliveryPolicies, type DeliveryOutcome, type Outbox } from '../../infra/outbox';
import { type MintReplyAddress, replyAddressKeys, replyAddressMinter } from '../../infra/reply-addresses';
import type { Config } from '../../config';
import { CONFIG } from '../config/config.module';

/** How long a send waits for a racing request's send of the same invoice, and how often it looks. */
const SEND_WAIT_MS = 10_000;
const SEND_POLL_MS = 100;

/** Statuses in which an invoice may not be sent to its customer. */
const UNSENDABLE: ApprovalStatus[] = ['approval_required', 'pending_approval', 'rejected'];

@Injectable()
export class InvoicesService {
  private readonly logger = new Logger(InvoicesService.name);
  private readonly invoices: InvoicesRepository;
  private readonly deliveries: DeliveriesRepository;
  private readonly outbox: Outbox;
  private readonly mintReplyAddress?: MintReplyAddress;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly approvals: ApprovalsService,
    @Optional() @Inject(CONFIG) config?: Pick<Config, 'inbound' | 'secretKeys'>,
  ) {
    this.invoices = new InvoicesRepository(dataSource);
    this.deliveries = createDeliveriesRepository(dataSource);
    this.outbox = createOutbox(this.deliveries);
    this.mintReplyAddress = config && replyAddressMinter(replyAddressKeys(config));
  }

  /**
   * One round trip in the common case: the insert checks in the same statement that the customer (and location)
   * belong to the caller's company, and returns the stored view JSON. The unique (company_id, number) constraint
   * answers duplicates; the foreign keys keep the checked parties from vanishing meanwhile.
   */
  async create(user: AuthUser, dto: CreateInvoiceDto): Promise<InvoiceView> {
    const issueDate = dto.issueDate ?? todayIn(user.company.timezone, new Date());
    assertDueAfterIssue(issueDate, dto.dueDate);
    const amount = parseMoney(dto.amount);
    const number = dto.number.trim();
    const locationId = dto.locationId ?? null;
    const memo = dto.memo ?? '';
    // The invoice as it will be, for the approval definitions' conditions (as before an insert: no status yet).
    const draft = {
      companyId: user.companyId, number, customerId: dto.customerId, locationId, amount, balance: amount, issueDate, dueDate: dto.dueDate,
      memo, stamp: null, sentAt: null, createdBy: user.id,
    } as Invoice;
    const approval = (await this.approvals.approvalOnSave(this.dataSource.manager, { kind: 'invoice', record: draft }, undefined, user)).fields;
    const view = await uniqueNumber(number, () => this.invoices.insertWithParties({
      companyId: user.companyId, number, customerId: dto.customerId, locationId, amount, issueDate, dueDate: dto.dueDate, memo, createdBy: user.id,
      approvalStatus: approval.approvalStatus, approvalDefinitionId: approval.approvalDefinitionId,
    }));
    if (view === undefined) {
      // Nothing inserted: say which party is not the company's (the same 404 as for an unknown id).
      await this.assertParties(this.dataSource.manager, user, dto.customerId, locationId);
      throw new Error(`invoice ${number} was not inserted although its customer and location belong to the company`);
    }
    return JSON.parse(view) as InvoiceView;
  }

  /**
   * The hottest read of the API: one prepared statement straight to the pool, returning each invoice's stored view
   * JSON (`view_json`, kept by a trigger). Returns the page as JSON, in UTF-8.
   */
  list(user: AuthUser, query: ListInvoicesQueryDto): Promise<Buffer> {
    assertRange(query.dueFrom, query.dueTo, ['dueFrom', 'dueTo']);
    return this.invoices.listViews(user.companyId, {
      approvalStatuses: splitList(query.approvalStatus), customerId: query.customerId, locationId: query.locationId,
      dueFrom: query.dueFrom, dueTo: query.dueTo, sent: flag(query.sent), paid: flag(query.paid),
    }, query);
  }

  /** The stored view of one invoice of the caller's company; another company's id is a 404 like an unknown one. */
  async get(user: AuthUser, id: string): Promise<InvoiceView> {
    const view = await this.invoices.findView(user.companyId, id);
    if (view === undefined) throw new NotFoundException(`invoice ${id} not found`);
    return JSON.parse(view) as InvoiceView;
  }

  /** The row lock serialises the edit with payments, so that the balance always equals amount minus what was paid. */
  async update(user: AuthUser, id: string, dto: UpdateInvoiceDto): Promise<InvoiceView> {
    let cancelledRuns: string[] = [];
    const view = await this.dataSource.transaction(async (manager) => {
      const invoice = await findOwned(manager, Invoice, user.companyId, id, 'invoice', { lock: true });
      const before = Object.assign(new Invoice(), invoice);
      if (dto.number !== undefined) invoice.number = dto.number.trim();
      if (dto.customerId !== undefined || dto.locationId !== undefined) {
        await this.assertParties(manager, user, dto.customerId ?? null, dto.locationId ?? null);
      }
      if (dto.customerId !== undefined && dto.customerId !== invoice.customerId) {
        const payments = await this.invoices.countPayments(manager, invoice.id);
        if (payments > 0) {
          throw new ConflictException(`invoice ${id} already has ${payments} payment(s) from its customer; its customer cannot change`);
        }
        invoice.customerId = dto.customerId;
      }
      if (dto.locationId !== undefined) invoice.locationId = dto.locationId;
      if (dto.issueDate !== undefined) invoice.issueDate = dto.issueDate;
      if (dto.dueDate !== undefined) invoice.dueDate = dto.dueDate;
      assertDueAfterIssue(invoice.issueDate, invoice.dueDate);
      if (dto.memo !== undefined) invoice.memo = dto.memo;
      if (dto.amount !== undefined) {
        const amount = parseMoney(dto.amount);
        const paid = subtractMoney(invoice.amount, invoice.balance);
        if (compareMoney(amount, paid) < 0) {
          throw new UnprocessableEntityException(`amount ${amount} is below the ${paid} already paid on invoice ${invoice.number}`);
        }
        invoice.amount = amount;
        invoice.balance = subtractMoney(amount, paid);
      }
      const approval = await this.approvals.approvalOnSave(manager, { kind: 'invoice', record: invoice }, before, user);
      Object.assign(invoice, approval.fields);
      cancelledRuns = approval.cancelled;
      return toInvoiceView(await uniqueNumber(invoice.number, () => this.invoices.save(manager, invoice)));
    });
    // Signalled after commit: an edited pending invoice goes back to its creator and its approval run ends.
    await this.approvals.signalCancelled(cancelledRuns, user, 'invoice');
    return view;
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invoice = await findOwned(manager, Invoice, user.companyId, id, 'invoice', { lock: true });
      if (invoice.approvalStatus === 'pending_approval') {
        throw new ConflictException(`invoice ${invoice.number} is pending approval and cannot be deleted: approve or reject it first`);
      }
      const payments = await this.invoices.countPayments(manager, invoice.id);
      if (payments > 0) {
        throw new ConflictException(`invoice ${invoice.number} has ${payments} payment(s) recorded against it and cannot be deleted`);
      }
      await this.invoices.delete(manager, invoice.id);
    });
  }

  /**
   * Emails the invoice to its customer through the outbox, at most once per send: the delivery is keyed by the
   * invoice's `sentAt` as this request read it, so requests racing (a double click, a client retrying while the first
   * is under way or stalled on SMTP) are one send, while a send after the last one went out is a new one. `sentAt`
   * moves with the delivery's `sent` mark, in one transaction.
   */
  async send(user: AuthUser, id: string): Promise<InvoiceView> {
    const manager = this.dataSource.manager;
    const invoice = await findOwned(manager, Invoice, user.companyId, id, 'invoice');
    if (UNSENDABLE.includes(invoice.approvalStatus)) {
      throw new ConflictException(
        `invoice ${invoice.number} is ${invoice.approvalStatus} and cannot be sent until approved`,
      );
    }
    const customer = await findOwned(manager, Customer, user.companyId, invoice.customerId, 'customer');
    if (!customer.email) {
      throw new UnprocessableEntityException(
        `customer ${customer.name} (${customer.id}) has no email address: set one with PATCH /v1/customers/${customer.id} before sending`,
      );
    }
    const to = customer.email;
    const suppression = await new SuppressionsRepository(manager).findForAddress(user.companyId, to);
    if (suppression) {
      throw new ConflictException(`${to} is suppressed (suppression ${suppression.id}, ${suppression.origin}: ${suppression.reason}): `
        + 'nothing is sent to it until an admin deletes the suppression');
    }
    const mail = renderInvoiceEmail({
      locale: user.company.locale, currency: user.company.currency, companyName: user.company.name, customerName: customer.name,
      number: invoice.number, amount: invoice.amount, balance: invoice.balance, dueDate: invoice.dueDate, memo: invoice.memo,
    });
    const occurrence = `after:${invoice.sentAt ? invoice.sentAt.toISOString() : 'never'}`;
    const key = `invoice-send|invoice:${invoice.id}|${occurrence}`;
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.outbox.deliver(
        { key, owner: { companyId: user.companyId, recordType: 'invoice', recordId: invoice.id }, occurrence, channel: 'send', recipient: to.toLowerCase(), attempt: 1 },
        {
          policy: deliveryPolicies.invoiceSend,
          send: async (deliveryKey) => {
            const document = await beforeSending(() => new InvoiceDocumentsRepository(manager).find(user.companyId, invoice.id));
            const attachments = document
              ? [{ filename: invoicePdfFilename(invoice.number), content: await beforeSending(() => renderInvoicePdf(document)), contentType: 'application/pdf' }]
              : [];
            // Its bounce and its reply map to this send; the reminders' answer links and unsubscribe stay off: the invoice is transactional.
            const mint = this.mintReplyAddress;
            const replyAddress = mint && await beforeSending(() => mint(this.dataSource, {
              companyId: user.companyId, deliveryKey, recipient: to.toLowerCase(), customerId: customer.id, invoiceIds: [invoice.id],
            }));
            await this.mailer.send({
              to, ...mail, headers: { 'X-Relance-Invoice-Id': invoice.id }, attachments, deliveryKey,
              ...(replyAddress && { replyTo: replyAddress, envelope: { from: replyAddress, to } }),
            });
          },
          onSent: async (tx) => {
            await deliveryEffects.recordInvoiceSent(tx, invoice.id);
            await recordOutgoing(tx, {
              companyId: user.companyId, invoiceIds: [invoice.id], kind: 'invoice', subject: mail.subject, bodyText: mail.text,
              toAddress: to.toLowerCase(), deliveryKey: key,
            });
          },
        },
      );
    } catch (err) {
      this.logger.warn(`sending invoice ${invoice.id} failed: ${(err as Error).message}`);
      const failure = classifyFailure(err);
      if (failure.kind === 'infrastructure' && failure.effect === 'unknown') {
        throw new DomainError(503, `the mail server stopped answering while taking the email to ${to}: it may have reached the customer, so this send of invoice ${invoice.number} is not repeated and the invoice was not marked sent`);
      }
      throw new DomainError(503, `the mail server did not accept the email to ${to}; the invoice was not marked sent, retry later`);
    }
    if (outcome.status === 'failed') {
      throw new UnprocessableEntityException(`the mail server refused the email to ${to}: ${outcome.error}; the invoice was not marked sent`);
    }
    if (outcome.status === 'inDoubt') throw new ConflictException(`invoice ${invoice.number}: ${outcome.error}`);
    if (outcome.status === 'skipped') await this.sentByAnother(invoice.number, key);
    return this.get(user, id);
  }

  /** What went out to the customer about the invoice and what came back, oldest first. */
  async messages(user: AuthUser, id: string, query: ListQueryDto): Promise<Page<InvoiceMessageView>> {
    await findOwned(this.dataSource.manager, Invoice, user.companyId, id, 'invoice');
    return mapPage(await findInvoiceMessagesPage(this.dataSource, user.companyId, id, query), toInvoiceMessageView);
  }

  /**
   * Another request holds this send: waits a little for its outcome and answers it, or says that it is still
   * under way (or stopped without knowing whether the mail server took it).
   */
  private async sentByAnother(number: string, key: string): Promise<void> {
    for (let waited = 0; ; waited += SEND_POLL_MS) {
      const status = await this.deliveries.statusOf(key);
      if (status === 'sent') return;
      if (status === 'failed') throw new DomainError(503, `the email of invoice ${number} was not accepted by the mail server; the invoice was not marked sent, retry later`);
      if (waited >= SEND_WAIT_MS) break;
      await sleep(SEND_POLL_MS);
    }
    throw new ConflictException(`invoice ${number} is being sent by another request, or an earlier send stopped without knowing whether the mail server took it; it is not sent twice: its sentAt is set once sent`);
  }

  private async assertParties(manager: EntityManager, user: AuthUser, customerId: string | null, locationId: string | null) {
    if (customerId) await findOwned(manager, Customer, user.companyId, customerId, 'customer');
    if (locationId) await findOwned(manager, Location, user.companyId, locationId, 'location');
  }
}

/** The unique (company_id, number) constraint is the last word when two requests race for the same number. */
async function uniqueNumber<T>(number: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDbError(err, '23505')) throw new ConflictException(`an invoice numbered "${number}" already exists in this company`);
    throw err;
  }
}

function assertDueAfterIssue(issueDate: string, dueDate: string): void {
  if (dueDate < issueDate) throw new BadRequestException(`dueDate (${dueDate}) must not be before issueDate (${issueDate})`);
}
