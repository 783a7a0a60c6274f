import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { applyInbound } from '../../db/inbound-effects';
import { ReplyAddressesRepository } from '../../db/reply-addresses.repository';
import { preparedSql } from '../../db/sql';
import { classifyInbound } from '../../domain/inbound/classify';
import type { InboundEvent } from '../../domain/inbound/inbound-event';
import { replyTokensIn } from '../../domain/inbound/reply-address';
import { addressTexts, parseInboundMessage } from './parse-message';

export const INBOUND_DOMAIN = Symbol('INBOUND_DOMAIN');

/** What the endpoint answers: `unmatched` when the message names no reply address of ours (it changed nothing). */
export interface InboundOutcome {
  outcome: string;
  kind?: InboundEvent['kind'];
}

/** Receives a raw message: parses it, finds the delivery its reply address was minted for, classifies it and applies it. */
@Injectable()
export class InboundService {
  private readonly replyAddresses: ReplyAddressesRepository;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @Inject(INBOUND_DOMAIN) private readonly domain: string) {
    // Every inbound message looks its address up: one statement, prepared once per connection.
    this.replyAddresses = new ReplyAddressesRepository(preparedSql(dataSource));
  }

  async receive(raw: Buffer, receivedAt: Date): Promise<InboundOutcome> {
    const message = await parseInboundMessage(raw);
    const address = await this.replyAddresses.findFirst(replyTokensIn(addressTexts(message), this.domain));
    if (!address) return { outcome: 'unmatched' };
    const event = classifyInbound(message);
    // A report is only believed about the address the reply address was minted for: a forged report naming another
    // address (a customer's token, someone else's mailbox) must not suppress that other address.
    const scoped: InboundEvent = event.kind === 'bounce' || event.kind === 'complaint' ? { ...event, recipient: address.recipient } : event;
    const messageId = message.headers('message-id')[0]?.trim().slice(0, 998) || null;
    const { outcome } = await applyInbound(this.dataSource, address, scoped, receivedAt, messageId);
    return { outcome, kind: event.kind };
  }
}
