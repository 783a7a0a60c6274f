import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { ApprovalsRepository } from '../../db/approvals.repository';
import { DelegationsRepository } from '../../db/delegations.repository';
import { User } from '../../db/entities';
import { mapPage } from '../../db/pagination';
import { UsersRepository } from '../../db/users.repository';
import { AuthCache } from '../auth/auth-cache';
import { AuthUser } from '../auth/current-user.decorator';
import { ListQueryDto } from '../common/pagination';
import { DelegationsService } from '../delegations/delegations.service';
import type { DelegationChange } from '../../contracts';
import { ApiKeysService } from './api-keys.service';
import { CreateUserDto } from './dto/create-user.dto';
import type { DeactivateUserDto } from './dto/deactivate-user.dto';
import { SessionsRepository } from '../../db/sessions.repository';
import { SignInLinksService } from '../sessions/sign-in-links.service';
import type { UpdateUserDto } from './dto/update-user.dto';
import { SeatLossNotifier } from '../approver-groups/seat-loss.notifier';
import { compareMoney, parseMoney } from '../../domain/money';
import { type CreatedUserView, type DeactivatedUserView, toApiKeyView, toUserView, type UserView } from './user.mapper';

import { audit } from '../audit/audit-trail';

const DAY_MS = 86_400_000;

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly authCache: AuthCache,
    private readonly delegationRuns: DelegationsService,
    private readonly signInLinks: SignInLinksService,
    private readonly seatLoss: SeatLossNotifier,
  ) {}

  /**
   * Offboards a user, in one transaction: status inactive, every API key revoked and console session ended, delegations to them ended (their
   * delegators' requests come back to the delegators), and the seats they hold in the undecided steps of pending
   * approvals handed over to `handoverTo` as a delegation (it replaces their own), which the runs are then told of,
   * exactly as of a delegation: each run moves the seats' tasks and emails to the new holder and supersedes the old
   * links. Refused for oneself, for the last active admin, and without a fit `handoverTo` when there are seats.
   */
  async deactivate(caller: AuthUser, id: string, dto: DeactivateUserDto): Promise<DeactivatedUserView> {
    const handoverTo = dto.handoverTo?.toLowerCase();
    if (id === caller.id) throw new ConflictException('you cannot deactivate yourself; ask another admin');
    const approvals = new ApprovalsRepository(this.dataSource);
    const delegations = new DelegationsRepository(this.dataSource);
    const done = await this.dataSource.transaction(async (m) => {
      const users = new UsersRepository(m);
      await users.lockCompanyUsers(caller.companyId);
      await delegations.lockCompany(m, caller.companyId);
      const user = await users.findOwned(caller.companyId, id);
      if (!user) throw new NotFoundException(`user ${id} not found`);
      if (user.status === 'inactive') throw new ConflictException(`user ${id} is already deactivated`);
      if (user.role === 'admin' && await users.countOtherActiveAdmins(caller.companyId, user.id) === 0) {
        throw new ConflictException(`user ${id} is the last active admin of the company; make another user admin first`);
      }
      const pending = await approvals.findPendingNaming(m, caller.companyId, user.id);
      if (pending.length > 0 && !handoverTo) {
        throw new ConflictException(`user ${id} holds approval seats of pending invoices ${pending.map((p) => p.invoiceNumber).join(', ')}; ` +
          'give handoverTo: an active user who receives them');
      }
      if (handoverTo) {
        if (handoverTo === user.id) throw new ConflictException('handoverTo must be another user than the one deactivated');
        const to = await users.findOwned(caller.companyId, handoverTo);
        if (!to) throw new NotFoundException(`user ${dto.handoverTo} not found`);
        if (to.status !== 'active') throw new ConflictException(`handoverTo ${handoverTo} is deactivated; choose an active user`);
        const own = pending.filter((p) => p.createdBy === handoverTo);
        if (own.length > 0) {
          throw new ConflictException(`handoverTo ${handoverTo} created invoice ${own.map((p) => p.invoiceNumber).join(', ')} and may not decide it ` +
            '(no self-approval); choose another user');
        }
      }
      await users.setStatus(caller.companyId, user.id, 'inactive');
      const revoked = await users.revokeKeysOf(user.id, new Date());
      for (const sessionId of await new SessionsRepository(m).endAllOfUser(user.id, 'user_deactivated')) {
        await audit.record(m, caller, { type: 'session.ended', targetId: sessionId, data: { reason: 'user_deactivated' } });
      }
      const delegators = await delegations.endDelegationsTo(m, caller.companyId, user.id);
      let own: DelegationChange | undefined;
      if (handoverTo && pending.length > 0) {
        // From a minute ago, so that the runs (whose clock may trail the API's) take it as in force at once; until the
        // last of these approvals' deadlines: no later run asks an inactive user.
        const from = new Date(Date.now() - 60_000);
        const until = new Date(Math.max(...pending.map((p) => new Date(p.deadline).getTime())) + DAY_MS);
        await delegations.setIn(m, { companyId: caller.companyId, delegatorId: user.id, delegateId: handoverTo, from, until, note: 'handover at deactivation' });
        own = { delegatorId: user.id, delegation: { delegateId: handoverTo, from: from.toISOString(), until: until.toISOString() } };
      } else if (await delegations.removeIn(m, caller.companyId, user.id)) {
        own = { delegatorId: user.id, delegation: null };
      }
      await audit.record(m, caller, {
        type: 'user.deactivated', targetId: user.id,
        data: { handoverTo: handoverTo ?? null, handedOver: pending.map((p) => p.invoiceId), revokedKeys: revoked.length, delegationsEnded: delegators },
      });
      return { user: { ...user, status: 'inactive' as const }, revoked, delegators, own, pending };
    });
    this.authCache.forgetUser(done.user.id);
    for (const delegatorId of done.delegators) await this.delegationRuns.tell(caller.companyId, { delegatorId, delegation: null });
    if (done.own) await this.delegationRuns.tell(caller.companyId, done.own);
    await this.seatLoss.deactivated(caller.companyId, done.user.id);
    const definitions = await new UsersRepository(this.dataSource).findDefinitionsNaming(caller.companyId, done.user.id);
    this.logger.log(`user ${done.user.id} deactivated by ${caller.id}${handoverTo ? `, seats handed over to ${handoverTo}` : ''}`);
    return {
      user: toUserView(done.user),
      handedOver: handoverTo ? done.pending.map((p) => ({ invoiceId: p.invoiceId, invoiceNumber: p.invoiceNumber, to: handoverTo })) : [],
      definitions,
      revokedKeys: done.revoked.length,
    };
  }

  /**
   * The user is active again. Keys revoked at deactivation stay revoked (issue a new one), seats handed over stay with
   * their new holder, and the handover delegation ends so that new approvals ask the user again.
   */
  async reactivate(caller: AuthUser, id: string): Promise<UserView> {
    const delegations = new DelegationsRepository(this.dataSource);
    const user = await this.dataSource.transaction(async (m) => {
      const users = new UsersRepository(m);
      await users.lockCompanyUsers(caller.companyId);
      await delegations.lockCompany(m, caller.companyId);
      const found = await users.findOwned(caller.companyId, id);
      if (!found) throw new NotFoundException(`user ${id} not found`);
      if (!await users.setStatus(caller.companyId, id, 'active')) throw new ConflictException(`user ${id} is already active`);
      await delegations.removeIn(m, caller.companyId, id);
      await audit.record(m, caller, { type: 'user.reactivated', targetId: id });
      return { ...found, status: 'active' as const };
    });
    this.logger.log(`user ${user.id} reactivated by ${caller.id}`);
    return toUserView(user);
  }

  /**
   * Changes a user's name, role or approval limit; each field given changes, each with its own audit entry. A limit
   * lowered (or set where there was none) is told, once committed, to the pending runs where it may take a seat. Under the company's user
   * lock, so that admins demoting (or deactivating) each other at once cannot leave the company without an active
   * admin. A deactivated user's role may change too: it is no active admin, and gets this role back on reactivation.
   * The role applies at once in this process and within AuthCache.TTL_MS in the others.
   */
  async update(caller: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    const done = await this.dataSource.transaction(async (m) => {
      const users = new UsersRepository(m);
      await users.lockCompanyUsers(caller.companyId);
      const found = await users.findOwned(caller.companyId, id);
      if (!found) throw new NotFoundException(`user ${id} not found`);
      const changes: Partial<Pick<User, 'name' | 'role' | 'approvalLimit'>> = {};
      const name = dto.name?.trim();
      if (name !== undefined && name !== found.name) changes.name = name;
      if (dto.role !== undefined && dto.role !== found.role) {
        if (found.role === 'admin' && found.status === 'active' && await users.countOtherActiveAdmins(caller.companyId, found.id) === 0) {
          throw new ConflictException(`user ${id} is the last active admin of the company; make another user admin first`);
        }
        changes.role = dto.role;
      }
      if (dto.approvalLimit !== undefined) {
        const limit = dto.approvalLimit === null ? null : parseMoney(dto.approvalLimit, 'approvalLimit');
        if (limit !== (found.approvalLimit ?? null)) changes.approvalLimit = limit;
      }
      await users.updateProfile(caller.companyId, found.id, changes);
      if (changes.role) await audit.record(m, caller, { type: 'user.role_changed', targetId: found.id, data: { from: found.role, to: changes.role } });
      if (changes.name) await audit.record(m, caller, { type: 'user.renamed', targetId: found.id, data: { from: found.name, to: changes.name } });
      if (changes.approvalLimit !== undefined) {
        await audit.record(m, caller, { type: 'user.approval_limit_changed', targetId: found.id, data: { from: found.approvalLimit ?? null, to: changes.approvalLimit } });
      }
      const lowered = changes.approvalLimit !== undefined && changes.approvalLimit !== null &&
        (found.approvalLimit === null || compareMoney(changes.approvalLimit, found.approvalLimit) < 0);
      return { user: { ...found, ...changes }, lowered };
    });
    const { user, lowered } = done;
    this.authCache.forgetUser(user.id);
    if (lowered) await this.seatLoss.limitLowered(caller.companyId, user.id);
    return toUserView(user);
  }

  /**
   * Invites a user: once the user is committed, they are emailed a sign-in link valid 7 days that says who invited them
   * to which company. No API key is made: an admin (or the user, signed in) issues one with POST /v1/users/:id/api-keys.
   */
  async create(caller: AuthUser, dto: CreateUserDto): Promise<CreatedUserView> {
    const email = dto.email.toLowerCase();
    const user = await this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      if (await users.existsWithEmail(caller.companyId, email)) {
        throw new ConflictException(`a user with email "${email}" already exists in this company`);
      }
      const created = await users.insert({ companyId: caller.companyId, name: dto.name.trim(), email, role: dto.role });
      await audit.record(manager, caller, { type: 'user.created', targetId: created.id, data: { role: created.role } });
      return created;
    });
    this.signInLinks.inviteLater(
      { email, userId: user.id, companyId: caller.companyId, locale: caller.company.locale },
      { inviterName: caller.name, companyName: caller.company.name },
    );
    return { user: toUserView(user) };
  }

  async list(caller: AuthUser, query: ListQueryDto) {
    return mapPage(await new UsersRepository(this.dataSource).findPage(caller.companyId, query), toUserView);
  }

  async get(caller: AuthUser, id: string) {
    return toUserView(await this.find(caller, id));
  }

  async issueKey(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    if (user.status !== 'active') throw new ConflictException(`user ${userId} is deactivated; reactivate it before issuing a key`);
    const { entity, key } = await this.dataSource.transaction((m) => this.apiKeys.issue(m, caller.companyId, user.id, caller));
    return { ...toApiKeyView(entity), apiKey: key };
  }

  async listKeys(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    const keys = await new ApiKeysRepository(this.dataSource).findOfUser(user.id);
    return { data: keys.map(toApiKeyView), nextCursor: null };
  }

  async revokeKey(caller: AuthUser, keyId: string) {
    const keys = new ApiKeysRepository(this.dataSource);
    const key = await keys.findOwned(caller.companyId, keyId);
    if (!key) throw new NotFoundException(`API key ${keyId} not found`);
    this.assertSelfOrAdmin(caller, key.userId);
    await this.dataSource.transaction((m) => this.apiKeys.revoke(m, caller, key));
    this.authCache.forgetKey(key.id);
  }

  private async find(caller: AuthUser, id: string): Promise<User> {
    const user = await new UsersRepository(this.dataSource).findOwned(caller.companyId, id);
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  private assertSelfOrAdmin(caller: AuthUser, userId: string) {
    if (caller.role !== 'admin' && caller.id !== userId) {
      throw new ForbiddenException('only an admin may manage the API keys of another user');
    }
  }
}
