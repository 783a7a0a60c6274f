import type { Config } from '../config';
import { type ReplyAddressFor, ReplyAddressesRepository } from '../db/reply-addresses.repository';
import type { Sql } from '../db/sql';
import { replyAddress, replyToken, replyTokenKey } from '../domain/inbound/reply-address';

/** INBOUND_DOMAIN, and the key of RELANCE_SECRET_KEYS (the first) that the tokens' own key is derived from. */
export interface ReplyAddressKeys {
  domain: string;
  secretKey: Uint8Array;
}

/** The keys of reply addresses, or undefined while INBOUND_DOMAIN is unset (customer emails then keep MAIL_FROM alone). */
export function replyAddressKeys(config: Pick<Config, 'inbound' | 'secretKeys'>): ReplyAddressKeys | undefined {
  return config.inbound.domain ? { domain: config.inbound.domain, secretKey: config.secretKeys[0].key } : undefined;
}

/** Records a delivery's reply address and answers it, to be its email's Reply-To and envelope sender. */
export type MintReplyAddress = (db: Sql, address: ReplyAddressFor) => Promise<string>;

/**
 * VERP, for the worker's customer emails and the API's invoice sends alike: each delivery's own address at
 * INBOUND_DOMAIN, recorded (its token's SHA-256) with the delivery so that a reply or a bounce maps to it. The token is
 * derived from the delivery key, so a retry of the delivery writes the same address. Undefined without keys.
 */
export function replyAddressMinter(keys: ReplyAddressKeys | undefined): MintReplyAddress | undefined {
  if (!keys) return undefined;
  const tokenKey = replyTokenKey(keys.secretKey);
  return async (db, address) => {
    const token = replyToken(tokenKey, address.deliveryKey);
    await new ReplyAddressesRepository(db).record(token, address);
    return replyAddress(token, keys.domain);
  };
}
