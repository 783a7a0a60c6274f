import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { DomainError } from '../../domain/errors';
import type { AuthUser } from '../auth/current-user.decorator';
import type { ApprovalView } from './approval.view';
import type { ApprovalsService } from './approvals.service';
import { BulkDecisionDto, repeatedItem } from './bulk-decisions.dto';
import { BULK_CONCURRENCY, BulkDecisionsService, type DecideDocument, mapBounded } from './bulk-decisions.service';

const user = { id: 'u-1', companyId: 'c-1', role: 'standard' } as AuthUser;
const ids = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);

describe(mapBounded.name, () => {
  it('answers in the items\' order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded(Array.from({ length: 40 }, (_, i) => i), 16, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(most).toBe(16);
  });
});

describe(repeatedItem.name, () => {
  it('names the first item sent twice (same kind, id in any case), and allows the same id as another kind', () => {
    expect(repeatedItem([{ kind: 'invoice', id: ids[0] }, { kind: 'bill', id: ids[0] }])).toBeUndefined();
    expect(repeatedItem([{ kind: 'invoice', id: ids[0] }, { kind: 'invoice', id: ids[1] }, { kind: 'invoice', id: ids[0].toUpperCase() }]))
      .toBe(`items.2 repeats items.0 (invoice ${ids[0]}); send each document once`);
  });
});

describe(BulkDecisionDto.name, () => {
  const problems = async (body: unknown) => (await validate(plainToInstance(BulkDecisionDto, body), { whitelist: true, forbidNonWhitelisted: true }))
    .flatMap((e) => [...Object.values(e.constraints ?? {}), ...(e.children ?? []).flatMap((c) => (c.children ?? []).flatMap((g) => Object.values(g.constraints ?? {})))]);

  it('takes 1 to 100 well-formed distinct items, and a reason for reject', async () => {
    expect(await problems({ decision: 'approve', items: [{ kind: 'invoice', id: ids[0] }, { kind: 'bill', id: ids[1] }], comment: 'ok' })).toEqual([]);
    expect(await problems({ decision: 'reject', items: [{ kind: 'bill', id: ids[1] }], reason: 'duplicate' })).toEqual([]);
    const many = Array.from({ length: 101 }, (_, i) => ({ kind: 'invoice', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
    expect(await problems({ decision: 'approve', items: many })).toEqual(['items must hold 1 to 100 items; send a larger batch in several calls']);
    expect(await problems({ decision: 'approve', items: [] })).toEqual(['items must hold 1 to 100 items; send a larger batch in several calls']);
    expect(await problems({ decision: 'approve', items: [{ kind: 'quote', id: 'x' }] })).toEqual(['kind must be one of invoice, bill', 'id must be a UUID']);
    expect(await problems({ decision: 'reject', items: [{ kind: 'bill', id: ids[1] }] })).toContain('reason must say why the documents are rejected (not blank)');
  });
});

describe(BulkDecisionsService.name, () => {
  const view = (id: string) => ({ invoiceId: id, status: 'approved' }) as ApprovalView;

  it('answers every item on its own: decided, refused as the single route would be, a Temporal timeout or a fault never failing the others', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const service = new BulkDecisionsService({} as ApprovalsService);
    const decide: DecideDocument = async (item) => {
      if (item.id === ids[1]) throw new DomainError(409, 'invoice INV-2 is not pending approval (its approval status is approved)');
      if (item.id === ids[2]) throw new DomainError(404, `bill ${ids[2]} not found`);
      if (item.id === ids[3]) throw new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out waiting for update');
      if (item.id === ids[4]) throw new TypeError('boom');
      return view(item.id);
    };
    const items = [{ kind: 'invoice', id: ids[0] }, { kind: 'invoice', id: ids[1] }, { kind: 'bill', id: ids[2] }, { kind: 'invoice', id: ids[3] },
      { kind: 'invoice', id: ids[4] }, { kind: 'bill', id: ids[5].toUpperCase() }] as BulkDecisionDto['items'];
    const answer = await service.decide({ decision: 'approve', items, comment: 'ok' }, user, decide);
    expect(answer).toMatchObject({ decision: 'approve', decided: 2, refused: 4 });
    expect(answer.results.map((r) => [r.kind, r.id, r.outcome, r.status ?? null])).toEqual([
      ['invoice', ids[0], 'decided', null], ['invoice', ids[1], 'refused', 409], ['bill', ids[2], 'refused', 404],
      ['invoice', ids[3], 'refused', 503], ['invoice', ids[4], 'refused', 500], ['bill', ids[5], 'decided', null],
    ]);
    expect(answer.results[1]).toEqual({ kind: 'invoice', id: ids[1], outcome: 'refused', status: 409, error: 'Conflict',
      message: 'invoice INV-2 is not pending approval (its approval status is approved)' });
    expect(answer.results[4].message).toBe('internal error');
    // Only the faults are logged, as the API logs a 5xx.
    expect(logged.mock.calls.map(([message]) => message)).toEqual([`bulk approve of invoice ${ids[3]} failed`, `bulk approve of invoice ${ids[4]} failed`]);
    logged.mockRestore();
  });

  it('passes each item, with the comment or the reason, to the same decide as its single route, 16 at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: unknown[] = [];
    const decide: DecideDocument = async (item, _user, decision, body) => {
      most = Math.max(most, ++inFlight);
      seen.push([item.kind, decision, body]);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return view(item.id);
    };
    const items = Array.from({ length: 100 }, (_, i) => ({ kind: i % 2 ? 'bill' : 'invoice', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })) as BulkDecisionDto['items'];
    const answer = await new BulkDecisionsService({} as ApprovalsService).decide({ decision: 'reject', items, reason: 'duplicates' }, user, decide);
    expect(answer).toMatchObject({ decided: 100, refused: 0 });
    expect(most).toBe(BULK_CONCURRENCY);
    expect(seen[0]).toEqual(['invoice', 'reject', { reason: 'duplicates' }]);
    expect(seen[1]).toEqual(['bill', 'reject', { reason: 'duplicates' }]);
  });

  it('decides an invoice or a bill item through the approvals service\'s decide of that document, as the single routes do (via api)', async () => {
    const calls: unknown[] = [];
    const approvals = { decide: async (...args: unknown[]) => { calls.push(args); return view(ids[0]); } } as unknown as ApprovalsService;
    const items = [{ kind: 'invoice', id: ids[0] }, { kind: 'bill', id: ids[1] }] as BulkDecisionDto['items'];
    const answer = await new BulkDecisionsService(approvals).decide({ decision: 'approve', items, comment: 'ok' }, user);
    expect(answer).toMatchObject({ decided: 2, refused: 0 });
    expect(calls).toEqual([
      [{ kind: 'invoice', id: ids[0] }, user, 'approve', { comment: 'ok' }, 'api'],
      [{ kind: 'bill', id: ids[1] }, user, 'approve', { comment: 'ok' }, 'api'],
    ]);
  });

  it('refuses the text that goes with the other decision', () => {
    const service = new BulkDecisionsService({} as ApprovalsService);
    const items = [{ kind: 'invoice', id: ids[0] }] as BulkDecisionDto['items'];
    expect(() => service.check({ decision: 'reject', items, reason: 'no', comment: 'ok' })).toThrow('comment is only for approve; a reject takes reason');
    expect(() => service.check({ decision: 'approve', items, reason: 'no' })).toThrow('reason is only for reject; an approve takes comment');
  });
});
