import { SqlFilter } from './sql-filter';
import { utf8Join } from './pagination';

describe('utf8Join', () => {
  it.each([
    ['no parts', []],
    ['one part', ['{"a":1}']],
    ['parts of one to four bytes per character', ['{"memo":"l\'été"}', '{"memo":"🧾 \\u0001 \\n"}', '{"memo":"日本"}', '{}']],
  ])('writes exactly the bytes of head, parts joined by commas, and tail: %s', (_, parts) => {
    const head = '{"data":[';
    const tail = '],"nextCursor":"WyIyMDI2Il0"}';
    const joined = utf8Join(head, parts, tail);
    expect(joined.equals(Buffer.from(head + parts.join(',') + tail, 'utf8'))).toBe(true);
    expect(JSON.parse(joined.toString('utf8')).data).toEqual(parts.map((p) => JSON.parse(p)));
  });
});

describe('SqlFilter.shape', () => {
  const filter = (company: string, statuses?: string[], type = 'text[]') => {
    const f = new SqlFilter();
    f.and(`i.company_id = ${f.param(company, 'uuid')}`);
    if (statuses) f.and(`i.approval_status = ANY(${f.param(statuses, type)})`);
    return f;
  };

  it('is the same for the same clauses and types whatever the values, and differs otherwise', () => {
    expect(filter('a', ['approved']).shape).toBe(filter('b', ['pending_approval', 'rejected']).shape);
    expect(filter('a').shape).not.toBe(filter('a', ['approved']).shape);
    expect(filter('a', ['approved']).shape).not.toBe(filter('a', ['approved'], 'varchar[]').shape);
  });
});
