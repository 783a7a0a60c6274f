import type { Sql } from './sql';

/** A promise to pay whose grace passed unpaid: recorded broken once, with its event. Called by the delivery that resumes. */
export async function markBroken(_tx: Sql, _companyId: string, _invoiceId: string): Promise<void> {
  // Implemented with the customer answers.
}
