import { Bill } from '../../db/entities';

export function toBillView(b: Bill) {
  return {
    id: b.id, vendorId: b.vendorId, locationId: b.locationId, number: b.number, amount: b.amount, balance: b.balance,
    issueDate: b.issueDate, dueDate: b.dueDate, paidAt: b.paidAt ? b.paidAt.toISOString() : null, memo: b.memo,
    createdAt: b.createdAt.toISOString(), updatedAt: b.updatedAt.toISOString(),
  };
}

export const billExample: ReturnType<typeof toBillView> = {
  id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a50', vendorId: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', locationId: null,
  number: 'V-88213', amount: '480.00', balance: '480.00', issueDate: '2026-12-01', dueDate: '2026-12-15', paidAt: null,
  memo: 'Office supplies', createdAt: '2026-12-01T14:03:11.123Z', updatedAt: '2026-12-01T14:03:11.123Z',
};
