import { emailStatusOf } from './email-status';

describe(emailStatusOf.name, () => {
  it.each([
    [null, 'ok'],
    ['bounce', 'bounced'],
    ['soft_bounces', 'bounced'],
    ['complaint', 'complained'],
  ] as const)('answers %s as %s', (origin, status) => {
    expect(emailStatusOf(origin)).toBe(status);
  });
});
