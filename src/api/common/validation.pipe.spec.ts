import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { ListInvoicesQueryDto } from '../invoices/dto/invoice.dto';
import { ListQueryDto } from './pagination';
import { MemoValidationPipe } from './validation.pipe';

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('MemoValidationPipe', () => {
  let pipe: MemoValidationPipe;
  let checks: jest.SpyInstance;

  beforeEach(() => {
    pipe = new MemoValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    checks = jest.spyOn(ValidationPipe.prototype, 'transform');
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks a query once, then answers the same transformed, frozen DTO', async () => {
    const first = await pipe.transform({ limit: '20', approvalStatus: 'approved' }, query(ListInvoicesQueryDto));
    const again = await pipe.transform({ limit: '20', approvalStatus: 'approved' }, query(ListInvoicesQueryDto));
    expect(first).toBeInstanceOf(ListInvoicesQueryDto);
    expect(first).toEqual({ limit: 20, approvalStatus: 'approved' });
    expect(again).toBe(first);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(() => { (first as ListInvoicesQueryDto).limit = 200; }).toThrow(TypeError);
  });

  it('keeps queries apart by DTO class and by value', async () => {
    const invoices = await pipe.transform({ limit: '5' }, query(ListInvoicesQueryDto));
    const plain = await pipe.transform({ limit: '5' }, query(ListQueryDto));
    const other = await pipe.transform({ limit: '6' }, query(ListInvoicesQueryDto));
    expect(invoices).toBeInstanceOf(ListInvoicesQueryDto);
    expect(plain).not.toBeInstanceOf(ListInvoicesQueryDto);
    expect(other).toEqual({ limit: 6 });
    expect(checks).toHaveBeenCalledTimes(3);
  });

  it('checks a refused query every time, with the same 400', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '500' }, query(ListInvoicesQueryDto))).rejects.toBeInstanceOf(BadRequestException);
      await expect(pipe.transform({ color: 'red' }, query(ListInvoicesQueryDto))).rejects.toBeInstanceOf(BadRequestException);
    }
    expect(checks).toHaveBeenCalledTimes(4);
  });

  it('always checks bodies', async () => {
    await pipe.transform({ limit: '5' }, { type: 'body', metatype: ListQueryDto });
    await pipe.transform({ limit: '5' }, { type: 'body', metatype: ListQueryDto });
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('keeps at most 1,000 queries, dropping the least recently used', async () => {
    await pipe.transform({ limit: '1' }, query(ListQueryDto));
    for (let n = 0; n < 999; n++) await pipe.transform({ cursor: `c${n}` }, query(ListQueryDto));
    await pipe.transform({ limit: '1' }, query(ListQueryDto)); // used again: now the most recent
    await pipe.transform({ cursor: 'one more' }, query(ListQueryDto)); // 1,001st: drops c0
    checks.mockClear();
    await pipe.transform({ limit: '1' }, query(ListQueryDto));
    await pipe.transform({ cursor: 'c1' }, query(ListQueryDto));
    expect(checks).not.toHaveBeenCalled();
    await pipe.transform({ cursor: 'c0' }, query(ListQueryDto));
    expect(checks).toHaveBeenCalledTimes(1);
  });
});
