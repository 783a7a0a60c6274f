import type { DataSource } from 'typeorm';
import type { InboundEvent, MatchedReplyAddress } from '../domain/inbound/inbound-event';

/** What an inbound message changes: suppressions, pauses, tasks, messages and events. */
export async function applyInbound(
  _dataSource: DataSource, _address: MatchedReplyAddress, _event: InboundEvent, _receivedAt: Date,
): Promise<{ outcome: string }> {
  return { outcome: 'ignored' };
}
