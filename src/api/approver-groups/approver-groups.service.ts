import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApproverGroupsRepository, type ApproverGroupWithMembers } from '../../db/approver-groups.repository';
import { mapPage, type Page } from '../../db/pagination';
import { UsersRepository } from '../../db/users.repository';
import { DomainError } from '../../domain/errors';
import { audit } from '../audit/audit-trail';
import type { AuthUser } from '../auth/current-user.decorator';
import { isDbError } from '../common/db-errors';
import type { ListQueryDto } from '../common/pagination';
import { type ApproverGroupView, toApproverGroupView } from './approver-group.view';
import type { CreateApproverGroupDto, UpdateApproverGroupDto } from './dto/approver-group.dto';
import { SeatLossNotifier } from './seat-loss.notifier';

const UNIQUE_VIOLATION = '23505';
/** An audit entry names at most this many members of each list (and counts them all): it stays a line of history. */
const AUDITED_IDS = 40;
const listed = (ids: string[]) => ids.slice(0, AUDITED_IDS);

/**
 * Approver groups: named sets of a company's active users that approval steps name instead of people. Membership is
 * read when a step opens; a member removed later loses the seat, and the pending runs naming the group are told.
 */
@Injectable()
export class ApproverGroupsService {
  private readonly logger = new Logger(ApproverGroupsService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly seatLoss: SeatLossNotifier) {}

  async list(caller: AuthUser, query: ListQueryDto): Promise<Page<ApproverGroupView>> {
    return mapPage(await new ApproverGroupsRepository(this.dataSource).findPage(caller.companyId, query), toApproverGroupView);
  }

  async get(caller: AuthUser, id: string): Promise<ApproverGroupView> {
    return toApproverGroupView(await this.find(new ApproverGroupsRepository(this.dataSource), caller, id));
  }

  async create(caller: AuthUser, dto: CreateApproverGroupDto): Promise<ApproverGroupView> {
    const name = dto.name.trim();
    const group = await this.named(name, () => this.dataSource.transaction(async (m) => {
      const groups = new ApproverGroupsRepository(m);
      const memberIds = await this.checkedMembers(m, caller, dto.memberIds);
      if (await groups.nameTaken(caller.companyId, name)) throw this.nameTaken(name);
      const created = await groups.insert({ companyId: caller.companyId, name, createdBy: caller.id });
      await groups.replaceMembers(caller.companyId, created.id, memberIds);
      await audit.record(m, caller, { type: 'approver_group.created', targetId: created.id, data: { name, memberIds: listed(memberIds), memberCount: memberIds.length } });
      return (await groups.findOwned(caller.companyId, created.id))!;
    }));
    return toApproverGroupView(group);
  }

  async update(caller: AuthUser, id: string, dto: UpdateApproverGroupDto): Promise<ApproverGroupView> {
    const name = dto.name?.trim();
    const done = await this.named(name ?? '', () => this.dataSource.transaction(async (m) => {
      const groups = new ApproverGroupsRepository(m);
      const found = await this.find(groups, caller, id, true);
      let removed: string[] = [];
      let added: string[] = [];
      if (dto.memberIds !== undefined) {
        const memberIds = await this.checkedMembers(m, caller, dto.memberIds, found.memberIds);
        ({ added, removed } = await groups.replaceMembers(caller.companyId, found.id, memberIds));
      }
      const renamed = name !== undefined && name !== found.name;
      if (renamed) {
        if (await groups.nameTaken(caller.companyId, name, found.id)) throw this.nameTaken(name);
        await groups.rename(found.id, name);
      }
      if (renamed || added.length > 0 || removed.length > 0) {
        await audit.record(m, caller, {
          type: 'approver_group.updated', targetId: found.id,
          data: {
            changes: renamed ? { name: { old: found.name, new: name } } : {},
            added: listed(added), addedCount: added.length, removed: listed(removed), removedCount: removed.length,
          },
        });
      }
      return { group: (await groups.findOwned(caller.companyId, found.id))!, removed };
    }));
    await this.seatLoss.removedFromGroup(caller.companyId, done.group.id, done.removed);
    return toApproverGroupView(done.group);
  }

  /**
   * Refused while an active definition names the group, or open tasks wait in it (nobody could claim them then); the
   * runs still naming it are told its members lost their seats.
   */
  async remove(caller: AuthUser, id: string): Promise<void> {
    const group = await this.dataSource.transaction(async (m) => {
      const groups = new ApproverGroupsRepository(m);
      const found = await this.find(groups, caller, id, true);
      const definitions = await groups.findActiveDefinitionsNaming(caller.companyId, found.id);
      if (definitions.length > 0) {
        throw new DomainError(409, `approver group ${found.id} is named by the active workflow definition(s) ` +
          `${definitions.map((d) => `"${d.name}" (${d.id})`).join(', ')}; remove it from them, or deactivate them, first`);
      }
      const waiting = await groups.countOpenTasksOfCandidateGroup(caller.companyId, found.id);
      if (waiting > 0) {
        throw new DomainError(409, `approver group ${found.id} is the candidate group of ${waiting} open task(s), which nobody could claim ` +
          'once it is gone; complete or reassign them first');
      }
      await groups.delete(found.id);
      await audit.record(m, caller, { type: 'approver_group.deleted', targetId: found.id, data: { name: found.name, memberIds: listed(found.memberIds), memberCount: found.memberIds.length } });
      return found;
    });
    this.logger.log(`approver group ${group.id} deleted by ${caller.id}`);
    await this.seatLoss.removedFromGroup(caller.companyId, group.id, group.memberIds);
  }

  /** Another company's group answers exactly as a missing one. */
  private async find(groups: ApproverGroupsRepository, caller: AuthUser, id: string, lock = false): Promise<ApproverGroupWithMembers> {
    const found = await groups.findOwned(caller.companyId, id, { lock });
    if (!found) throw new DomainError(404, `approver group ${id} not found`);
    return found;
  }

  /**
   * The members, each once, checked under the company's user lock (no deactivation slips in between): a user of
   * another company or none is a 404 naming it, as elsewhere; adding a deactivated one a 409. A member deactivated
   * since (still listed, `current`) may stay, so that the list read back is accepted as it is.
   */
  private async checkedMembers(m: EntityManager, caller: AuthUser, ids: string[], current: string[] = []): Promise<string[]> {
    const memberIds = [...new Set(ids.map((id) => id.toLowerCase()))];
    await new UsersRepository(m).lockCompanyUsers(caller.companyId);
    const statuses = await new ApproverGroupsRepository(m).findUserStatuses(caller.companyId, memberIds);
    const missing = memberIds.find((id) => !statuses.has(id));
    if (missing) throw new DomainError(404, `user ${missing} not found`);
    const kept = new Set(current);
    const inactive = memberIds.find((id) => statuses.get(id) !== 'active' && !kept.has(id));
    if (inactive) throw new DomainError(409, `user ${inactive} is deactivated and cannot be a member of an approver group`);
    return memberIds;
  }

  private nameTaken(name: string): DomainError {
    return new DomainError(409, `an approver group named "${name}" already exists in this company (names are unique, case aside)`);
  }

  /** Two groups named alike at once: the unique index refuses the second, with the same 409 as the check before it. */
  private async named<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isDbError(err, UNIQUE_VIOLATION)) throw this.nameTaken(name);
      throw err;
    }
  }
}
