import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { type SeatLoss, seatLostSignal } from '../../contracts';
import { ApproverGroupsRepository } from '../../db/approver-groups.repository';
import { TemporalClient } from '../temporal/temporal.module';

const NOT_STARTED_RETRIES = 5;
const NOT_STARTED_RETRY_MS = 400;

/**
 * Tells the pending approval runs where a user may hold a seat through a group or a limit that the user lost one:
 * called after the change committed. The database holds the truth (the run reads it again when it re-resolves the
 * step's seats), so a run that cannot be told is logged, never a failure of the change.
 */
@Injectable()
export class SeatLossNotifier {
  private readonly logger = new Logger(SeatLossNotifier.name);
  private readonly groups: ApproverGroupsRepository;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly temporal: TemporalClient) {
    this.groups = new ApproverGroupsRepository(dataSource);
  }

  /** Members who left a group (or whose group was deleted): the runs whose undecided steps name the group. */
  async removedFromGroup(companyId: string, groupId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const runs = await this.groups.findPendingApprovalRunsNamingGroup(companyId, groupId);
    await this.tell(runs, userIds.map((userId) => ({ userId, reason: 'removed_from_group' as const, groupId })));
  }

  /** A limit lowered (or set where there was none): the runs whose undecided steps route by limit and may seat the user. */
  async limitLowered(companyId: string, userId: string): Promise<void> {
    const runs = await this.groups.findPendingApprovalRunsSeating(companyId, userId, { limitOnly: true });
    await this.tell(runs, [{ userId, reason: 'limit_lowered' }]);
  }

  /** A user deactivated: the runs whose undecided steps may seat them through a group or a limit. */
  async deactivated(companyId: string, userId: string): Promise<void> {
    const runs = await this.groups.findPendingApprovalRunsSeating(companyId, userId, { limitOnly: false });
    await this.tell(runs, [{ userId, reason: 'deactivated' }]);
  }

  private async tell(workflowIds: string[], losses: SeatLoss[]): Promise<void> {
    await Promise.all(workflowIds.map(async (workflowId) => {
      for (const loss of losses) {
        await this.signal(workflowId, loss).catch((err: Error) =>
          this.logger.warn(`could not tell ${workflowId} that user ${loss.userId} lost a seat (${loss.reason}): ${err.message}`));
      }
    }));
  }

  /** A submission records its approval before it starts the run: one not found yet may be about to start. */
  private async signal(workflowId: string, loss: SeatLoss): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.temporal.workflow.getHandle(workflowId).signal(seatLostSignal, loss);
        return;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) || attempt >= NOT_STARTED_RETRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, NOT_STARTED_RETRY_MS));
      }
    }
  }
}
