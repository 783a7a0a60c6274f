import type { DataSource } from 'typeorm';
import { MAX_PREPARED_STATEMENTS, preparedSql } from './sql';

describe('preparedSql', () => {
  const sent: { name?: string; text: string; values: unknown[] }[] = [];
  const pool = { query: async (config: (typeof sent)[number]) => { sent.push(config); return { rows: [{ ok: true }] }; } };
  const sql = preparedSql({ driver: { master: pool } } as unknown as DataSource);

  it('names each distinct text once, up to MAX_PREPARED_STATEMENTS, then sends new texts unprepared', async () => {
    expect(await sql.query('SELECT $1::int', [1])).toEqual([{ ok: true }]);
    await sql.query('SELECT $1::int', [2]);
    expect(sent[0].name).toMatch(/^relance_\d+$/);
    expect(sent[1]).toEqual({ name: sent[0].name, text: 'SELECT $1::int', values: [2] });

    for (let n = 1; n < MAX_PREPARED_STATEMENTS; n++) await sql.query(`SELECT ${n}`);
    expect(new Set(sent.map((c) => c.name)).size).toBe(MAX_PREPARED_STATEMENTS);
    await sql.query('SELECT 1 + 1');
    expect(sent[sent.length - 1]).toMatchObject({ name: undefined, text: 'SELECT 1 + 1' });
    await sql.query('SELECT $1::int', [3]); // texts named before keep their statement
    expect(sent[sent.length - 1].name).toBe(sent[0].name);
  });
});
