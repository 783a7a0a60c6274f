import type { EligibleApprover } from './approval';

/** Whoever holds `seatId`'s requests: the end of its chain of delegations in force (the API refuses cycles; bounded anyway). */
export function holderOf(seatId: string, active: Map<string, string>): string {
  let holder = seatId;
  for (let hops = 0; hops < 16 && active.has(holder); hops += 1) holder = active.get(holder)!;
  return holder;
}

/**
 * Who may decide a step now: every seat (listed or escalated approver) but the invoice's creator, held by itself or
 * by its delegate. A delegate who is the creator holds nothing: nobody decides for the creator's invoice by proxy.
 */
export function eligibleFor(seats: string[], creatorId: string, active: Map<string, string>): EligibleApprover[] {
  return seats.filter((seat) => seat !== creatorId).flatMap((seat) => {
    const holder = holderOf(seat, active);
    if (holder === creatorId) return [];
    return [{ userId: holder, onBehalfOf: holder === seat ? null : seat }];
  });
}
