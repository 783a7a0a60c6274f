import { addMoney, compareMoney, fromCents, MONEY, MoneyError, parseMoney, POSITIVE_MONEY, subtractMoney, toCents } from './money';

describe('POSITIVE_MONEY', () => {
  it('is MONEY without the amounts that are zero', () => {
    const amounts = ['0', '00', '0.0', '0.00', '000.00', '0.01', '0.10', '1', '10.5', '250.00', '999999999999.99', '1.005', '-1', '.5'];
    expect(amounts.filter((a) => POSITIVE_MONEY.test(a))).toEqual(amounts.filter((a) => MONEY.test(a) && toCents(a) > 0n));
    expect(amounts.filter((a) => POSITIVE_MONEY.test(a))).toEqual(['0.01', '0.10', '1', '10.5', '250.00', '999999999999.99']);
  });
});

describe(parseMoney.name, () => {
  it.each([
    ['1250', '1250.00'],
    ['1250.5', '1250.50'],
    ['0.01', '0.01'],
    [' 7.10 ', '7.10'],
    ['999999999999.99', '999999999999.99'],
  ])('canonicalises %j to %j', (input, expected) => expect(parseMoney(input)).toBe(expected));

  it.each([
    [1250, /not a JSON number/],
    ['-1.00', /must not be negative/],
    ['1.005', /more than two decimals/],
    ['abc', /decimal string/],
    ['1e3', /decimal string/],
    ['', /decimal string/],
    [null, /decimal string/],
    ['1234567890123.00', /decimal string/],
  ])('rejects %j', (input, message) => {
    expect(() => parseMoney(input, 'amount')).toThrow(MoneyError);
    expect(() => parseMoney(input, 'amount')).toThrow(message);
  });
});

describe('money arithmetic', () => {
  it('is exact where floats are not', () => {
    expect(addMoney('0.10', '0.20')).toBe('0.30');
    expect(subtractMoney('100.00', '33.33')).toBe('66.67');
    expect(toCents('19.99')).toBe(1999n);
    expect(fromCents(-5n)).toBe('-0.05');
    expect(compareMoney('10.00', '9.99')).toBe(1);
    expect(compareMoney('10', '10.00')).toBe(0);
  });
});
