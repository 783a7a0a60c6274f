import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Bill } from '../../db/entities';
import { BillsRepository } from '../../db/bills.repository';
import { LocationsRepository } from '../../db/locations.repository';
import { mapPage } from '../../db/pagination';
import { VendorsRepository } from '../../db/vendors.repository';
import { parseMoney } from '../../domain/money';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
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
      const bill = await new BillsRepository(manager).insert({
        companyId: user.companyId, vendorId: dto.vendorId, locationId: dto.locationId ?? null, number: dto.number ?? null,
        amount: parseMoney(dto.amount), balance: parseMoney(dto.amount), issueDate: dto.issueDate ?? null, dueDate: dto.dueDate, paidAt: null,
        memo: dto.memo ?? '',
      });
      return toBillView(bill);
    });
  }

  async list(user: AuthUser, query: ListBillsQueryDto) {
    assertRange(query.dueFrom, query.dueTo, ['dueFrom', 'dueTo']);
    const filter = { vendorId: query.vendorId, dueFrom: query.dueFrom, dueTo: query.dueTo, paid: flag(query.paid) };
    return mapPage(await new BillsRepository(this.dataSource).findPage(user.companyId, filter, query), toBillView);
  }

  async get(user: AuthUser, id: string) {
    return toBillView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateBillDto) {
    return this.dataSource.transaction(async (manager) => {
      const bills = new BillsRepository(manager);
      const bill = orNotFound(await bills.findOwned(user.companyId, id, { lock: true }), 'bill', id);
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
      return toBillView(await bills.save(bill));
    });
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const bill = await this.find(user, id);
    await new BillsRepository(this.dataSource).delete(user.companyId, bill.id);
  }

  /** Paying is a conditional update, so that two concurrent payments of the same bill cannot both succeed. */
  async pay(user: AuthUser, id: string, dto: PayBillDto) {
    const bill = await this.find(user, id);
    const paidAt = parseInstant(dto.paidAt, 'paidAt') ?? new Date();
    if (!(await new BillsRepository(this.dataSource).markPaid(user.companyId, bill.id, paidAt))) throw new ConflictException(`bill ${id} is already paid`);
    return this.get(user, id);
  }

  private async assertParties(manager: EntityManager, user: AuthUser, vendorId: string | null, locationId: string | null) {
    if (vendorId) orNotFound(await new VendorsRepository(manager).findOwned(user.companyId, vendorId), 'vendor', vendorId);
    if (locationId) orNotFound(await new LocationsRepository(manager).findOwned(user.companyId, locationId), 'location', locationId);
  }

  private async find(user: AuthUser, id: string): Promise<Bill> {
    return orNotFound(await new BillsRepository(this.dataSource).findOwned(user.companyId, id), 'bill', id);
  }
}

function assertDueAfterIssue(issueDate: string | null, dueDate: string): void {
  if (issueDate && dueDate < issueDate) throw new BadRequestException(`dueDate (${dueDate}) must not be before issueDate (${issueDate})`);
}
