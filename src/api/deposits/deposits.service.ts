import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page } from '../../db/pagination';
import { DepositsRepository } from '../../db/deposits.repository';
import { addMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { parseInstant } from '../common/query-filters';
import { toDepositView } from './deposit.mapper';
import { CreateDepositDto, ListDepositsQueryDto } from './dto/deposit.dto';

type DepositView = ReturnType<typeof toDepositView>;

@Injectable()
export class DepositsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Locks the payments in id order, so that overlapping deposits queue instead of deadlocking; one of them wins. */
  async create(user: AuthUser, dto: CreateDepositDto): Promise<DepositView> {
    const depositedAt = parseInstant(dto.depositedAt, 'depositedAt') ?? new Date();
    const ids = dto.paymentIds.map((id) => id.toLowerCase());
    return this.dataSource.transaction(async (manager) => {
      const repo = new DepositsRepository(manager);
      const payments = await repo.lockPayments(user.companyId, ids);
      const found = new Set(payments.map((p) => p.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new NotFoundException(`payment(s) not found: ${missing.join(', ')}`);
      const deposited = payments.filter((p) => p.depositId);
      if (deposited.length) {
        throw new ConflictException(
          `payment(s) already deposited: ${deposited.map((p) => `${p.id} (deposit ${p.depositId})`).join(', ')}`,
        );
      }
      const deposit = await repo.insert({
        companyId: user.companyId, amount: addMoney(...payments.map((p) => p.amount)), depositedAt, memo: dto.memo ?? '',
      });
      await repo.assignPayments(user.companyId, ids, deposit.id, depositedAt);
      return toDepositView(deposit, [...ids].sort());
    });
  }

  async list(user: AuthUser, query: ListDepositsQueryDto): Promise<Page<DepositView>> {
    const repo = new DepositsRepository(this.dataSource);
    const page = await repo.findPage(user.companyId, query);
    const byDeposit = await repo.paymentIdsOf(page.data.map((d) => d.id));
    return { data: page.data.map((d) => toDepositView(d, byDeposit.get(d.id) ?? [])), nextCursor: page.nextCursor };
  }

  async get(user: AuthUser, id: string): Promise<DepositView> {
    const repo = new DepositsRepository(this.dataSource);
    const deposit = orNotFound(await repo.findOwned(user.companyId, id), 'deposit', id);
    return toDepositView(deposit, (await repo.paymentIdsOf([deposit.id])).get(deposit.id) ?? []);
  }
}
