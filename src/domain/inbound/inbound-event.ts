/** What an inbound message is, once parsed and classified (src/domain/inbound classifies; src/db/inbound-effects.ts acts). */
export type InboundEvent =
  | { kind: 'bounce'; permanent: boolean; status: string; recipient: string; diagnostic?: string }
  | { kind: 'complaint'; recipient: string; feedbackType?: string }
  | { kind: 'auto_reply'; from: string; subject: string }
  /** `text` is plain text only: what customers write is never kept or answered as their HTML. */
  | { kind: 'reply'; from: string; subject: string; text: string };

/** The delivery a reply address was minted for. */
export interface MatchedReplyAddress {
  companyId: string;
  deliveryKey: string;
  recipient: string;
  customerId: string | null;
  /** Every invoice the email was about (several for a statement). */
  invoiceIds: string[];
}
