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
