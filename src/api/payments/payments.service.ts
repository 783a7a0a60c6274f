import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PaymentEventsService } from '../reminders/payment-events.service';
import { DataSource } from 'typeorm';
import { Invoice, Payment } from '../../db/entities';
import { PaymentsRepository } from '../../db/payments.repository';
import { webhookEvents } from '../../db/webhook-events';
import { parseMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { mapPage } from '../../db/pagination';
import { findOwned, orNotFound } from '../common/owned';
import { flag, parseInstant } from '../common/query-filters';
import { CreatePaymentDto, ListPaymentsQueryDto } from './dto/payment.dto';
import { PaymentView, toPaymentView } from './payment.mapper';

@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly paymentEvents: PaymentEventsService,
  ) {}

  /**
   * Records a payment and lowers the invoice balance in one transaction; concurrent payments queue on the invoice
   * row, so together they can never exceed its balance (PaymentsRepository.lowerInvoiceBalance).
   */
  async create(user: AuthUser, dto: CreatePaymentDto): Promise<PaymentView> {
    const amount = parseMoney(dto.amount);
    const receivedAt = parseInstant(dto.receivedAt, 'receivedAt') ?? new Date();
    const payment = await this.dataSource.transaction(async (manager) => {
      const payments = new PaymentsRepository(manager);
      const lowered = await payments.lowerInvoiceBalance(user.companyId, dto.invoiceId, amount);
      if (!lowered) {
        const invoice = await findOwned(manager, Invoice, user.companyId, dto.invoiceId, 'invoice');
        throw new UnprocessableEntityException(
          `amount ${amount} exceeds the balance ${invoice.balance} of invoice ${invoice.number}`,
        );
      }
      const inserted = await payments.insert({
        companyId: user.companyId, invoiceId: dto.invoiceId, customerId: lowered.customerId, amount,
        receivedAt, depositedAt: null, depositId: null, method: dto.method ?? null,
      });
      // The event commits with the payment: neither is recorded without the other.
      await webhookEvents.paymentReceived(manager, inserted);
      return inserted;
    });
    await this.onPaymentRecorded(payment);
    return toPaymentView(await this.find(user, payment.id));
  }

  /** Called once a payment is committed: starts the `payment-received` automations of the company, if any. */
  async onPaymentRecorded(payment: Payment): Promise<void> {
    await this.paymentEvents.onPaymentRecorded(payment);
  }

  async list(user: AuthUser, query: ListPaymentsQueryDto) {
    const filter = { invoiceId: query.invoiceId, customerId: query.customerId, deposited: flag(query.deposited) };
    return mapPage(await new PaymentsRepository(this.dataSource).findPage(user.companyId, filter, query), toPaymentView);
  }

  async get(user: AuthUser, id: string): Promise<PaymentView> {
    return toPaymentView(await this.find(user, id));
  }

  private async find(user: AuthUser, id: string): Promise<Payment> {
    return orNotFound(await new PaymentsRepository(this.dataSource).findOwned(user.companyId, id), 'payment', id);
  }
}
