import { compareDecimal, formatCents, parseCents } from './decimal';

describe(parseCents.name, () => {
  it('reads decimal strings exactly', () => {
    expect(parseCents('1250')).toBe(125000n);
    expect(parseCents('1250.5')).toBe(125050n);
    expect(parseCents('0.07')).toBe(7n);
    expect(parseCents('-3.10')).toBe(-310n);
    expect(parseCents('-0')).toBe(0n);
    expect(parseCents('999999999999.99')).toBe(99999999999999n);
  });

  it('refuses what is not an amount of numeric(14,2)', () => {
    for (const bad of ['', '1.234', '1e3', ' 1', '1,00', '1000000000000', '.5', 'abc']) expect(parseCents(bad)).toBeNull();
  });
});

describe(formatCents.name, () => {
  it('writes canonical strings', () => {
    expect(formatCents(125000n)).toBe('1250.00');
    expect(formatCents(7n)).toBe('0.07');
    expect(formatCents(-310n)).toBe('-3.10');
  });
});

describe(compareDecimal.name, () => {
  it('compares beyond float precision', () => {
    expect(compareDecimal('999999999999.99', '999999999999.98')).toBe(1);
    expect(compareDecimal('0.10', '0.1')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
  });
});
