/** What came back from a customer's address, as the customer's `emailStatus` says it. */
export type EmailStatus = 'ok' | 'bounced' | 'complained';

/** The status of an address from the origin of its suppression (null: not suppressed). */
export function emailStatusOf(suppressionOrigin: 'bounce' | 'soft_bounces' | 'complaint' | null): EmailStatus {
  if (suppressionOrigin === null) return 'ok';
  return suppressionOrigin === 'complaint' ? 'complained' : 'bounced';
}
