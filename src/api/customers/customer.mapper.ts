import { Customer } from '../../db/entities';

export function toCustomerView(c: Customer) {
  return {
    id: c.id, name: c.name, email: c.email, group: c.group, remindersEnabled: c.remindersEnabled, timezone: c.timezone,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

export type CustomerView = ReturnType<typeof toCustomerView>;

export const customerExample: CustomerView = {
  id: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00', name: 'Globex Corporation', email: 'billing@globex.test', group: 'wholesale', remindersEnabled: true, timezone: null,
  createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
