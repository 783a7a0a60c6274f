import { editMakesVersion, parseVersionNumber } from './definition-versions';

describe(editMakesVersion.name, () => {
  it('makes a version for an approval definition that is or was active, never for a draft', () => {
    expect(editMakesVersion('approval', 'active')).toBe(true);
    expect(editMakesVersion('approval', 'inactive')).toBe(true);
    expect(editMakesVersion('approval', 'draft')).toBe(false);
  });

  it('keeps one version for the templates whose runs read the definition as it is', () => {
    for (const status of ['draft', 'active', 'inactive'] as const) {
      expect(editMakesVersion('schedule', status)).toBe(false);
      expect(editMakesVersion('event', status)).toBe(false);
    }
  });
});

describe(parseVersionNumber.name, () => {
  it('reads a whole number from 1 to the largest integer Postgres stores', () => {
    expect(parseVersionNumber('1')).toBe(1);
    expect(parseVersionNumber('42')).toBe(42);
    expect(parseVersionNumber('2147483647')).toBe(2147483647);
  });

  it('refuses anything else', () => {
    for (const text of ['0', '01', '-1', '1.5', '1e3', 'abc', '', ' 1', '2147483648', '99999999999']) expect(parseVersionNumber(text)).toBeNull();
  });
});
