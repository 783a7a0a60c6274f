import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { audit } from '../audit/audit-trail';
import { type DelegationChange, delegationSignal } from '../../contracts';
import { DelegationsRepository } from '../../db/delegations.repository';
import { DomainError } from '../../domain/errors';
import type { AuthUser } from '../auth/current-user.decorator';
import { TemporalClient } from '../temporal/temporal.module';
import { type DelegationView, toDelegationView } from './delegation.view';
import type { PutDelegationDto } from './dto/put-delegation.dto';

const NOT_STARTED_RETRIES = 5;
const NOT_STARTED_RETRY_MS = 400;

/**
 * Out-of-office delegation: stored one per user, and told to the company's pending approval runs, which
 * move the requests of the delegator's pending steps to the delegate when it starts and back when it ends.
 */
@Injectable()
export class DelegationsService {
  private readonly logger = new Logger(DelegationsService.name);
  private readonly delegations: DelegationsRepository;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly temporal: TemporalClient) {
    this.delegations = new DelegationsRepository(dataSource);
  }

  async get(user: AuthUser): Promise<DelegationView> {
    const found = await this.delegations.find(user.companyId, user.id);
    if (!found) throw new DomainError(404, `user ${user.id} has no delegation; PUT /v1/users/me/delegation sets one`);
    return toDelegationView(found, new Date());
  }

  async put(user: AuthUser, body: PutDelegationDto): Promise<DelegationView> {
    const delegateId = body.delegateId.toLowerCase();
    const from = new Date(body.from);
    const until = new Date(body.until);
    if (!(until > from)) throw new DomainError(400, `until (${body.until}) must be after from (${body.from})`);
    if (until <= new Date()) throw new DomainError(400, `until (${body.until}) is in the past: a delegation must end in the future`);
    if (delegateId === user.id) throw new DomainError(409, 'you cannot delegate your approvals to yourself');
    const status = await this.delegations.findUserStatus(user.companyId, delegateId);
    if (!status) throw new DomainError(404, `user ${body.delegateId} not found`);
    if (status !== 'active') throw new DomainError(409, `user ${delegateId} is deactivated and cannot receive approval requests`);
    const chain = await this.delegations.setUnlessCycle(
      { companyId: user.companyId, delegatorId: user.id, delegateId, from, until, note: body.note?.trim() || null },
      (m) => audit.record(m, user, { type: 'delegation.set', targetId: user.id, data: { delegateId, from: from.toISOString(), until: until.toISOString() } }),
    );
    if (chain) {
      throw new DomainError(409, `delegating to ${delegateId} would make a cycle: their approvals already come back to you through ${[delegateId, ...chain.slice(0, chain.indexOf(user.id))].join(' → ')}`);
    }
    await this.tell(user.companyId, { delegatorId: user.id, delegation: { delegateId, from: from.toISOString(), until: until.toISOString() } });
    return this.get(user);
  }

  async remove(user: AuthUser): Promise<void> {
    const ended = await this.delegations.remove(user.companyId, user.id,
      (m, delegateId) => audit.record(m, user, { type: 'delegation.removed', targetId: user.id, data: { delegateId } }));
    if (!ended) {
      throw new DomainError(404, `user ${user.id} has no delegation to end`);
    }
    await this.tell(user.companyId, { delegatorId: user.id, delegation: null });
  }

  /**
   * Signals the pending approval runs the change concerns: those where the delegator, or someone whose delegations lead
   * to them, holds a seat of a step not yet decided (the approvals table knows the steps). Other runs keep what they
   * knew: it never decides who holds one of their seats. The delegation is stored first, so a run submitted meanwhile
   * reads it at its start; a run that cannot be told now is logged (its requests stay with whoever holds them).
   */
  async tell(companyId: string, change: DelegationChange): Promise<void> {
    const runs = await this.delegations.findPendingApprovalRunsConcerning(companyId, change.delegatorId);
    await Promise.all(runs.map((workflowId) => this.signal(workflowId, change)
      .catch((err: Error) => this.logger.warn(`could not tell ${workflowId} of the delegation of ${change.delegatorId}: ${err.message}`))));
  }

  /**
   * A submission records its approval before it starts the run, after reading the delegations: a run not found yet
   * may be one about to start without this change, so it is asked again for a moment. One that ended needs nothing.
   */
  private async signal(workflowId: string, change: DelegationChange): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.temporal.workflow.getHandle(workflowId).signal(delegationSignal, change);
        return;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) || attempt >= NOT_STARTED_RETRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, NOT_STARTED_RETRY_MS));
      }
    }
  }
}
