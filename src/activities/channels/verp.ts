import type { DataSource } from 'typeorm';
import { ReplyAddressesRepository } from '../../db/reply-addresses.repository';
import type { Sql } from '../../db/sql';
import { replyAddress, replyToken, replyTokenKey } from '../../domain/inbound/reply-address';

/** INBOUND_DOMAIN, and the key of RELANCE_SECRET_KEYS (the first) that the tokens' own key is derived from. */
export interface ReplyAddressKeys {
  domain: string;
  secretKey: Uint8Array;
}

/** What the decoration reads of an email (a subset of email-decorations.ts's context, which registers it). */
interface VerpContext {
  tx?: Sql;
  companyId: string;
  customerId: string | null;
  deliveryKey: string;
  invoiceIds: string[];
  recipient: string;
}

/**
 * VERP: with INBOUND_DOMAIN set, a customer email's Reply-To and envelope sender are its own address there, recorded
 * (its token's SHA-256) with the delivery, so that a reply or a bounce maps to it. The token is derived from the
 * delivery key, so a retry of the delivery writes the same address. Unset, the email keeps MAIL_FROM alone.
 */
export const verpDecoration = (deps: { dataSource: DataSource; inbound?: ReplyAddressKeys }) => {
  const inbound = deps.inbound;
  const tokenKey = inbound && replyTokenKey(inbound.secretKey);
  return async (ctx: VerpContext): Promise<{ replyTo?: string; envelopeFrom?: string }> => {
    if (!inbound || !tokenKey) return {};
    const token = replyToken(tokenKey, ctx.deliveryKey);
    await new ReplyAddressesRepository(ctx.tx ?? deps.dataSource).record(token, {
      companyId: ctx.companyId, deliveryKey: ctx.deliveryKey, recipient: ctx.recipient, customerId: ctx.customerId, invoiceIds: ctx.invoiceIds,
    });
    const address = replyAddress(token, inbound.domain);
    return { replyTo: address, envelopeFrom: address };
  };
};
