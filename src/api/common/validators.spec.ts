import { isDateOnly } from './validators';

describe('isDateOnly', () => {
  it('takes every calendar day, the years 0001-0099 included, and refuses days that do not exist', () => {
    expect(['2026-12-01', '2028-02-29', '0027-03-13', '0001-01-01', '9999-12-31'].filter((d) => !isDateOnly(d))).toEqual([]);
    expect(['2026-02-30', '2027-02-29', '2026-13-01', '2026-1-01', '0027-02-29', 20261201, null].filter((d) => isDateOnly(d))).toEqual([]);
  });
});
