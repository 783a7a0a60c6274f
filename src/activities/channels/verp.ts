import type { DataSource } from 'typeorm';
import type { Sql } from '../../db/sql';
import { type ReplyAddressKeys, replyAddressMinter } from '../../infra/reply-addresses';

export type { ReplyAddressKeys } from '../../infra/reply-addresses';

/** What the decoration reads of an email (a subset of email-decorations.ts's context, which registers it). */
interface VerpContext {
  tx?: Sql;
  companyId: string;
  customerId: string | null;
  deliveryKey: string;
  invoiceIds: string[];
  recipient: string;
}

/** With INBOUND_DOMAIN set, a customer email's Reply-To and envelope sender are its delivery's reply address; unset, none. */
export const verpDecoration = (deps: { dataSource: DataSource; inbound?: ReplyAddressKeys }) => {
  const mint = replyAddressMinter(deps.inbound);
  return async (ctx: VerpContext): Promise<{ replyTo?: string; envelopeFrom?: string }> => {
    if (!mint) return {};
    const address = await mint(ctx.tx ?? deps.dataSource, {
      companyId: ctx.companyId, deliveryKey: ctx.deliveryKey, recipient: ctx.recipient, customerId: ctx.customerId, invoiceIds: ctx.invoiceIds,
    });
    return { replyTo: address, envelopeFrom: address };
  };
};
