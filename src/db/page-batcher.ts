import type { Sql } from './sql';
import type { JsonSource } from './sql-filter';

/** A page statement: `SELECT <json> FROM <table> <alias> WHERE <filter> ORDER BY created_at, id LIMIT <rows>`. */
export type PageStatement = Pick<JsonSource, 'table' | 'alias' | 'json' | 'filter'> & { rows: number };

interface Waiting {
  params: unknown[];
  resolve: (rows: { json: string }[]) => void;
  reject: (err: unknown) => void;
}

interface Shape {
  single: string;
  batch: string;
  /** Requests per batched statement: MAX_BATCH_ROWS over the statement's rows. */
  capacity: number;
  running: number;
  waiting: Waiting[];
}

/** Statements of one shape running at once; the requests that arrive meanwhile wait and go together in the next. */
const RUNNING_PER_SHAPE = 2;
/** At most this many rows in one batched statement (requests × page rows). */
const MAX_BATCH_ROWS = 2000;

/**
 * Reads of the same page statement (same filters, same page size) that arrive while that statement is already
 * running go to Postgres together, as one statement over all their parameters (any tenants, any cursors): each
 * request's page is its own LATERAL subquery, filtered by its own values, and comes back tagged with its position.
 * One round trip and one execution for many pages (measured in bench/README.md).
 *
 * jsonPage batches only pages whose filters the order's index serves exactly (see JsonSource.batch): every
 * statement then costs at most its pages, and no request waits behind another's long scan.
 *
 * Nothing waits when the shape is idle: a request alone runs the plain statement at once. A batched statement starts
 * after every request in it arrived, so each still reads what was committed before it asked (read-your-writes
 * holds). If a batched statement fails, each of its requests runs alone, so one bad request fails only itself.
 */
export class PageBatcher {
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly db: Sql) {}

  read(statement: PageStatement): Promise<{ json: string }[]> {
    // Keyed without rendering the statement (a regex replace per request); its texts are written once per shape.
    const { table, alias, json, filter, rows } = statement;
    const key = `${table}\u0000${alias}\u0000${json}\u0000${rows}\u0000${filter.shape}`;
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = { single: pageSql(statement), batch: batchSql(statement), capacity: Math.max(1, Math.floor(MAX_BATCH_ROWS / rows)), running: 0, waiting: [] };
      this.shapes.set(key, shape);
    }
    const found = shape;
    return new Promise((resolve, reject) => {
      found.waiting.push({ params: statement.filter.params, resolve, reject });
      this.pump(found);
    });
  }

  private pump(shape: Shape): void {
    while (shape.running < RUNNING_PER_SHAPE && shape.waiting.length > 0) {
      const members = shape.waiting.splice(0, shape.capacity);
      shape.running += 1;
      void this.run(shape, members).finally(() => {
        shape.running -= 1;
        this.pump(shape);
      });
    }
  }

  private async run(shape: Shape, members: Waiting[]): Promise<void> {
    if (members.length > 1) {
      let rows: { ord: number; json: string }[];
      try {
        rows = await this.db.query<{ ord: number; json: string }>(shape.batch, [JSON.stringify(members.map((m) => m.params))]);
      } catch {
        await Promise.all(members.map((m) => this.alone(shape, m)));
        return;
      }
      const pages: { json: string }[][] = members.map(() => []);
      for (const row of rows) pages[row.ord - 1].push(row);
      members.forEach((m, i) => m.resolve(pages[i]));
      return;
    }
    await this.alone(shape, members[0]);
  }

  private async alone(shape: Shape, member: Waiting): Promise<void> {
    try {
      member.resolve(await this.db.query<{ json: string }>(shape.single, member.params));
    } catch (err) {
      member.reject(err);
    }
  }
}

/** The statement alone, with `$n` parameters; `where` and `keys` are for batchSql. */
export function pageSql(statement: PageStatement, where = statement.filter.sql, keys = ''): string {
  const { table, alias: a, json, rows } = statement;
  return `SELECT ${json} AS json${keys} FROM ${table} ${a} WHERE ${where} ORDER BY ${a}.created_at, ${a}.id LIMIT ${rows}`;
}

/** `$1` is a JSON array with one array of parameter values per request; row `ord` (from 1) is that request's. */
function batchSql(statement: PageStatement): string {
  const { alias: a, filter } = statement;
  const where = filter.render((index, type) => type.endsWith('[]')
    ? `ARRAY(SELECT jsonb_array_elements_text(b.params -> ${index}))::${type}`
    : `(b.params ->> ${index})::${type}`);
  return `SELECT b.ord::int AS ord, p.json
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS b(params, ord)
    CROSS JOIN LATERAL (${pageSql(statement, where, `, ${a}.created_at AS k1, ${a}.id AS k2`)}) p
    ORDER BY b.ord, p.k1, p.k2`;
}
