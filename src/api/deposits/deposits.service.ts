import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Deposit, Payment } from '../../db/entities';
import { addMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { Page, paginate } from '../../db/pagination';
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
      const payments = await manager.getRepository(Payment).find({
        where: { id: In(ids), companyId: user.companyId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' },
      });
      const found = new Set(payments.map((p) => p.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new NotFoundException(`payment(s) not found: ${missing.join(', ')}`);
      const deposited = payments.filter((p) => p.depositId);
      if (deposited.length) {
        throw new ConflictException(
          `payment(s) already deposited: ${deposited.map((p) => `${p.id} (deposit ${p.depositId})`).join(', ')}`,
        );
      }
      const repo = manager.getRepository(Deposit);
      const deposit = await repo.save(repo.create({
        companyId: user.companyId, amount: addMoney(...payments.map((p) => p.amount)), depositedAt, memo: dto.memo ?? '',
      }));
      await manager.getRepository(Payment).update({ id: In(ids), companyId: user.companyId }, { depositId: deposit.id, depositedAt });
      return toDepositView(deposit, [...ids].sort());
    });
  }

  async list(user: AuthUser, query: ListDepositsQueryDto): Promise<Page<DepositView>> {
    const qb = this.dataSource.getRepository(Deposit).createQueryBuilder('d').where('d.company_id = :companyId', { companyId: user.companyId });
    const page = await paginate(qb, query, (d) => d);
    const byDeposit = await this.paymentIdsOf(page.data.map((d) => d.id));
    return { data: page.data.map((d) => toDepositView(d, byDeposit.get(d.id) ?? [])), nextCursor: page.nextCursor };
  }

  async get(user: AuthUser, id: string): Promise<DepositView> {
    const deposit = await findOwned(this.dataSource.manager, Deposit, user.companyId, id, 'deposit');
    return toDepositView(deposit, (await this.paymentIdsOf([deposit.id])).get(deposit.id) ?? []);
  }

  private async paymentIdsOf(depositIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (depositIds.length === 0) return map;
    const rows = await this.dataSource.getRepository(Payment).find({
      select: { id: true, depositId: true }, where: { depositId: In(depositIds) }, order: { id: 'ASC' },
    });
    for (const row of rows) map.set(row.depositId!, [...(map.get(row.depositId!) ?? []), row.id]);
    return map;
  }
}
