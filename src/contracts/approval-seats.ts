import type { ApprovalStepInput, EligibleApprover, ResolveApprovalSeatsInput, ResolvedApprovalSeats } from './approval';

/**
 * Whoever holds `seatId`'s requests: the end of its chain of delegations in force (the API refuses cycles; bounded
 * anyway). A chain never ends at `creatorId`: whoever delegated to the invoice's creator keeps the seat.
 */
export function holderOf(seatId: string, active: Map<string, string>, creatorId?: string): string {
  let holder = seatId;
  for (let hops = 0; hops < 16 && active.has(holder) && active.get(holder) !== creatorId; hops += 1) holder = active.get(holder)!;
  return holder;
}

/**
 * Who may decide a step now: every seat (listed or escalated approver) but the invoice's creator, held by itself or
 * by its delegate. Nobody decides for the creator's invoice by proxy: a seat delegated to the creator stays with its
 * delegator. `creatorDelegatesKeepSeat: false` follows every chain to its end; the approval run passes it when no seat
 * is delegated to the creator.
 */
export function eligibleFor(seats: string[], creatorId: string, active: Map<string, string>, creatorDelegatesKeepSeat = true): EligibleApprover[] {
  return seats.filter((seat) => seat !== creatorId).flatMap((seat) => {
    const holder = holderOf(seat, active, creatorDelegatesKeepSeat ? creatorId : undefined);
    if (holder === creatorId) return [];
    return [{ userId: holder, onBehalfOf: holder === seat ? null : seat }];
  });
}

/** Whether some seat of `seats` (the creator's own aside) is delegated, directly or along a chain, to the creator. */
export function delegatedToCreator(seats: string[], creatorId: string, active: Map<string, string>): boolean {
  return seats.some((seat) => seat !== creatorId && holderOf(seat, active) === creatorId);
}

/** Why a step's escalation users joined it at once: its seats could not reach its quorum (the trail entries' `comment`). */
export const QUORUM_UNREACHABLE = 'quorum_unreachable';
/** The trail's word, on an `escalated` entry without a user, that nobody more can be asked: the step waits for its deadline. */
export const NOBODY_TO_ESCALATE = 'nobody_to_escalate';

/** Whether a step's seats are read from the database when it opens (groups, limits) rather than named in the input. */
export function resolvesSeats(step: Pick<ApprovalStepInput, 'groupIds' | 'routing'>): boolean {
  return (step.groupIds?.length ?? 0) > 0 || step.routing === 'limit';
}

/** The activities of seats read when a step opens; a local activity, run before anyone is asked. */
export interface ApprovalSeatActivities {
  resolveApprovalSeats(input: ResolveApprovalSeatsInput): Promise<ResolvedApprovalSeats>;
}
