import { BadRequestException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PaymentEventsService } from '../reminders/payment-events.service';
import { DataSource } from 'typeorm';
import { Invoice, Payment } from '../../db/entities';
import { PaymentsRepository } from '../../db/payments.repository';
import { parseMoney, toCents } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
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
    if (toCents(amount) <= 0n) throw new BadRequestException(`amount must be more than 0.00, got "${dto.amount}"`);
    const receivedAt = parseInstant(dto.receivedAt, 'receivedAt') ?? new Date();
    const payment = await this.dataSource.transaction(async (manager) => {
      const lowered = await new PaymentsRepository(manager).lowerInvoiceBalance(user.companyId, dto.invoiceId, amount);
      if (!lowered) {
        const invoice = await findOwned(manager, Invoice, user.companyId, dto.invoiceId, 'invoice');
        throw new UnprocessableEntityException(
          `amount ${amount} exceeds the balance ${invoice.balance} of invoice ${invoice.number}`,
        );
      }
      const repo = manager.getRepository(Payment);
      return repo.save(repo.create({
        companyId: user.companyId, invoiceId: dto.invoiceId, customerId: lowered.customerId, amount,
        receivedAt, depositedAt: null, depositId: null, method: dto.method ?? null,
      }));
    });
    await this.onPaymentRecorded(payment);
    return toPaymentView(await this.find(user, payment.id));
  }

  /** Called once a payment is committed: starts the `payment-received` automations of the company, if any. */
  async onPaymentRecorded(payment: Payment): Promise<void> {
    await this.paymentEvents.onPaymentRecorded(payment);
  }

  list(user: AuthUser, query: ListPaymentsQueryDto) {
    const qb = this.dataSource.getRepository(Payment).createQueryBuilder('p').where('p.company_id = :companyId', { companyId: user.companyId });
    if (query.invoiceId) qb.andWhere('p.invoice_id = :invoiceId', { invoiceId: query.invoiceId });
    if (query.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: query.customerId });
    const deposited = flag(query.deposited);
    if (deposited !== undefined) qb.andWhere(deposited ? 'p.deposit_id IS NOT NULL' : 'p.deposit_id IS NULL');
    return paginate(qb, query, toPaymentView);
  }

  async get(user: AuthUser, id: string): Promise<PaymentView> {
    return toPaymentView(await this.find(user, id));
  }

  private find(user: AuthUser, id: string): Promise<Payment> {
    return findOwned(this.dataSource.manager, Payment, user.companyId, id, 'payment');
  }
}
