import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Bill } from '../../db/entities';
import { BillsRepository, PAYABLE_APPROVAL_STATUSES } from '../../db/bills.repository';
import { LocationsRepository } from '../../db/locations.repository';
import { mapPage } from '../../db/pagination';
import { VendorsRepository } from '../../db/vendors.repository';
import { DomainError } from '../../domain/errors';
import { parseMoney } from '../../domain/money';
import { ApprovalMatcher } from '../approvals/approval-matcher';
import { ApprovalsService } from '../approvals/approvals.service';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { assertRange, flag, parseInstant } from '../common/query-filters';
import { toBillView } from './bill.mapper';
import { CreateBillDto, ListBillsQueryDto, PayBillDto, UpdateBillDto } from './dto/bill.dto';

/** Editing these on an approved bill evaluates it again. */

/** What people know a bill by: the vendor's reference, else its id. */
const nameOf = (bill: Pick<Bill, 'id' | 'number'>) => bill.number ?? bill.id;

@Injectable()
export class BillsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly matcher: ApprovalMatcher,
    private readonly approvals: ApprovalsService,
  ) {}

  /** A bill recorded by a `standard` user that matches an active bill-approval definition must be approved before it is paid. */
  async create(user: AuthUser, dto: CreateBillDto) {
    assertDueAfterIssue(dto.issueDate ?? null, dto.dueDate);
    return this.dataSource.transaction(async (manager) => {
      await this.assertParties(manager, user, dto.vendorId, dto.locationId ?? null);
      const fields = {
        companyId: user.companyId, vendorId: dto.vendorId, locationId: dto.locationId ?? null, number: dto.number ?? null,
        amount: parseMoney(dto.amount), balance: parseMoney(dto.amount), issueDate: dto.issueDate ?? null, dueDate: dto.dueDate, paidAt: null,
        memo: dto.memo ?? '', createdBy: user.id,
      };
      const approval = await this.matcher.requirementOf({ kind: 'bill', record: fields }, user, new Date(), manager);
      return toBillView(await new BillsRepository(manager).insert({ ...fields, ...approval }));
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
    let cancelledRuns: string[] = [];
    const view = await this.dataSource.transaction(async (manager) => {
      const bills = new BillsRepository(manager);
      const bill = orNotFound(await bills.findOwned(user.companyId, id, { lock: true }), 'bill', id);
      const before = Object.assign(new Bill(), bill);
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
      const approval = await this.approvalOnSave(manager, bill, before, user);
      Object.assign(bill, approval.fields);
      cancelledRuns = approval.cancelled;
      return toBillView(await bills.save(bill));
    });
    // Signalled after commit: an edited pending bill goes back to its creator and its approval run ends.
    await this.approvals.signalCancelled(cancelledRuns, user, 'bill');
    return view;
  }

  /** The approval fields of an edited bill (its row locked by `m`): a paid bill keeps them, else as for any document. */
  private async approvalOnSave(m: EntityManager, bill: Bill, before: Bill, editor: AuthUser):
    Promise<{ fields: Pick<Bill, 'approvalStatus' | 'approvalDefinitionId'>; cancelled: string[] }> {
    if (before.paidAt) return { fields: { approvalStatus: before.approvalStatus, approvalDefinitionId: before.approvalDefinitionId }, cancelled: [] };
    return this.approvals.approvalOnSave(m, { kind: 'bill', record: bill }, before, editor);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const bill = await this.find(user, id);
    if (bill.approvalStatus === 'pending_approval') {
      throw new ConflictException(`bill ${nameOf(bill)} is pending approval and cannot be deleted: approve or reject it first`);
    }
    await new BillsRepository(this.dataSource).delete(user.companyId, bill.id);
  }

  /**
   * Paying is a conditional update, so that two concurrent payments of the same bill cannot both succeed, and a bill
   * that needs approval is paid only once approved.
   */
  async pay(user: AuthUser, id: string, dto: PayBillDto) {
    const bill = await this.find(user, id);
    const paidAt = parseInstant(dto.paidAt, 'paidAt') ?? new Date();
    assertPayable(bill);
    if (!(await new BillsRepository(this.dataSource).markPaid(user.companyId, bill.id, paidAt))) {
      const current = await this.find(user, id);
      assertPayable(current);
      throw new ConflictException(`bill ${id} is already paid`);
    }
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

/** Paying is refused until a bill that needs approval is approved. */
function assertPayable(bill: Pick<Bill, 'id' | 'number' | 'approvalStatus'>): void {
  if ((PAYABLE_APPROVAL_STATUSES as readonly string[]).includes(bill.approvalStatus)) return;
  throw new DomainError(409, `bill ${nameOf(bill)} cannot be paid: its approval status is ${bill.approvalStatus}; it must be approved first`);
}
