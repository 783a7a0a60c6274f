import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Bill, Location, Vendor } from '../../db/entities';
import { parseMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
import { assertRange, flag, parseInstant } from '../common/query-filters';
import { toBillView } from './bill.mapper';
import { CreateBillDto, ListBillsQueryDto, PayBillDto, UpdateBillDto } from './dto/bill.dto';


@Injectable()
export class BillsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateBillDto) {
    assertDueAfterIssue(dto.issueDate ?? null, dto.dueDate);
    return this.dataSource.transaction(async (manager) => {
      await this.assertParties(manager, user, dto.vendorId, dto.locationId ?? null);
      const repo = manager.getRepository(Bill);
      const bill = await repo.save(repo.create({
        companyId: user.companyId, vendorId: dto.vendorId, locationId: dto.locationId ?? null, number: dto.number ?? null,
        amount: parseMoney(dto.amount), balance: parseMoney(dto.amount), issueDate: dto.issueDate ?? null, dueDate: dto.dueDate, paidAt: null,
        memo: dto.memo ?? '',
      }));
      return toBillView(bill);
    });
  }

  list(user: AuthUser, query: ListBillsQueryDto) {
    assertRange(query.dueFrom, query.dueTo, ['dueFrom', 'dueTo']);
    const qb = this.dataSource.getRepository(Bill).createQueryBuilder('b').where('b.company_id = :companyId', { companyId: user.companyId });
    if (query.vendorId) qb.andWhere('b.vendor_id = :vendorId', { vendorId: query.vendorId });
    if (query.dueFrom) qb.andWhere('b.due_date >= :dueFrom', { dueFrom: query.dueFrom });
    if (query.dueTo) qb.andWhere('b.due_date <= :dueTo', { dueTo: query.dueTo });
    const paid = flag(query.paid);
    if (paid !== undefined) qb.andWhere(paid ? 'b.paid_at IS NOT NULL' : 'b.paid_at IS NULL');
    return paginate(qb, query, toBillView);
  }

  async get(user: AuthUser, id: string) {
    return toBillView(await findOwned(this.dataSource.manager, Bill, user.companyId, id, 'bill'));
  }

  async update(user: AuthUser, id: string, dto: UpdateBillDto) {
    return this.dataSource.transaction(async (manager) => {
      const bill = await findOwned(manager, Bill, user.companyId, id, 'bill', { lock: true });
      await this.assertParties(manager, user, dto.vendorId ?? null, dto.locationId ?? null);
      if (dto.vendorId !== undefined) bill.vendorId = dto.vendorId;
      if (dto.locationId !== undefined) bill.locationId = dto.locationId;
      if (dto.number !== undefined) bill.number = dto.number;
      if (dto.issueDate !== undefined) bill.issueDate = dto.issueDate;
      if (dto.dueDate !== undefined) bill.dueDate = dto.dueDate;
      assertDueAfterIssue(bill.issueDate, bill.dueDate);
      if (dto.memo !== undefined) bill.memo = dto.memo;
      if (dto.amount !== undefined && parseMoney(dto.amount) !== bill.amount) {
        if (bill.paidAt) throw new ConflictException(`bill ${id} is already paid; its amount cannot change`);
        bill.amount = parseMoney(dto.amount);
        bill.balance = bill.amount;
      }
      return toBillView(await manager.getRepository(Bill).save(bill));
    });
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const bill = await findOwned(this.dataSource.manager, Bill, user.companyId, id, 'bill');
    await this.dataSource.getRepository(Bill).delete({ id: bill.id, companyId: user.companyId });
  }

  /** Paying is a conditional update, so that two concurrent payments of the same bill cannot both succeed. */
  async pay(user: AuthUser, id: string, dto: PayBillDto) {
    const bill = await findOwned(this.dataSource.manager, Bill, user.companyId, id, 'bill');
    const paidAt = parseInstant(dto.paidAt, 'paidAt') ?? new Date();
    const result = await this.dataSource.getRepository(Bill).createQueryBuilder().update()
      .set({ paidAt, balance: '0.00' })
      .where('id = :id AND company_id = :companyId AND paid_at IS NULL', { id: bill.id, companyId: user.companyId })
      .execute();
    if (!result.affected) throw new ConflictException(`bill ${id} is already paid`);
    return this.get(user, id);
  }

  private async assertParties(manager: EntityManager, user: AuthUser, vendorId: string | null, locationId: string | null) {
    if (vendorId) await findOwned(manager, Vendor, user.companyId, vendorId, 'vendor');
    if (locationId) await findOwned(manager, Location, user.companyId, locationId, 'location');
  }
}

function assertDueAfterIssue(issueDate: string | null, dueDate: string): void {
  if (issueDate && dueDate < issueDate) throw new BadRequestException(`dueDate (${dueDate}) must not be before issueDate (${issueDate})`);
}
