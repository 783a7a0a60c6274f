import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../domain/errors';
import { errorFields } from '../../infra/logger';
import type { AuthUser } from '../auth/current-user.decorator';
import { errorBodyOf } from '../common/api-exception.filter';
import type { ApprovalView } from './approval.view';
import { ApprovalsService } from './approvals.service';
import type { BulkDecisionDto, BulkDecisionItemDto, BulkDecisionResultView, BulkDecisionView } from './bulk-decisions.dto';

/** Updates in flight per bulk call: 100 items finish in a few rounds, and one call cannot flood the Temporal client. */
export const BULK_CONCURRENCY = 16;

/** `fn` over every item with at most `limit` calls in flight; the answers in the items' order. `fn` must not reject. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }));
  return results;
}

/** The single routes' decide for one document; the seam a bulk call decides each item through. */
export type DecideDocument = (
  item: Pick<BulkDecisionItemDto, 'kind' | 'id'>, user: AuthUser, decision: 'approve' | 'reject', body: { comment?: string; reason?: string },
) => Promise<ApprovalView>;

/**
 * `POST /v1/approvals/bulk`: each item goes through the same decide as its single route (its own `decide` Update, its
 * own checks, its own trail entry), a few at a time; one item refused or failing is that item's answer, never the
 * others' nor the call's.
 */
@Injectable()
export class BulkDecisionsService {
  private readonly logger = new Logger(BulkDecisionsService.name);
  private readonly decideDocument: DecideDocument;

  constructor(approvals: ApprovalsService) {
    this.decideDocument = ({ kind, id }, user, decision, body) => approvals.decide({ kind, id }, user, decision, body, 'api');
  }

  /** The 400s the DTO cannot say alone: the text that goes with the other decision. Run before anything is counted. */
  check(dto: BulkDecisionDto): void {
    if (dto.decision === 'reject' && dto.comment !== undefined) {
      const message = 'comment is only for approve; a reject takes reason';
      throw new DomainError(400, message, [{ field: 'comment', message }]);
    }
    if (dto.decision === 'approve' && dto.reason !== undefined) {
      const message = 'reason is only for reject; an approve takes comment';
      throw new DomainError(400, message, [{ field: 'reason', message }]);
    }
  }

  async decide(dto: BulkDecisionDto, user: AuthUser, decideDocument: DecideDocument = this.decideDocument): Promise<BulkDecisionView> {
    this.check(dto);
    const body = dto.decision === 'approve' ? { comment: dto.comment } : { reason: dto.reason };
    const results = await mapBounded(dto.items, BULK_CONCURRENCY, async ({ kind, id }): Promise<BulkDecisionResultView> => {
      const item = { kind, id: id.toLowerCase() };
      try {
        return { ...item, outcome: 'decided', approval: await decideDocument(item, user, dto.decision, body) };
      } catch (err) {
        const { statusCode, error, message } = errorBodyOf(err);
        if (statusCode >= 500) this.logger.error(`bulk ${dto.decision} of ${kind} ${item.id} failed`, { userId: user.id, ...errorFields(err) });
        return { ...item, outcome: 'refused', status: statusCode, error, message };
      }
    });
    const decided = results.filter((r) => r.outcome === 'decided').length;
    return { decision: dto.decision, decided, refused: results.length - decided, results };
  }
}
