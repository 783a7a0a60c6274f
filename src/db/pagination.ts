import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';
import { PageBatcher, pageSql } from './page-batcher';
import type { Sql } from './sql';
import type { JsonSource } from './sql-filter';

// The one keyset pagination of every list: a page is one indexed range scan after the cursor, whatever its depth.

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** What a list request asks for (the API's ListQueryDto validates it). */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface Cursor {
  createdAt: Date;
  id: string;
}

/** A cursor of a page in creation order. */
function creationCursor(cursor: string): Cursor {
  const { key, id } = decodeCursor(cursor);
  return { createdAt: new Date(key), id };
}

/**
 * Keyset pagination in creation order on (created_at, id): one indexed range scan per page, whatever the depth.
 * Maps rows with `toView` after fetching one extra row to know whether there is a next page.
 * `newestFirst` walks the same index backwards (inboxes).
 */
export async function paginate<E extends ObjectLiteral & { createdAt: Date; id: string }, V>(
  qb: SelectQueryBuilder<E>,
  query: PageRequest,
  toView: (row: E) => V,
  options: { newestFirst?: boolean } = {},
): Promise<Page<V>> {
  const rows = await keysetPage(qb, query, options).getMany();
  return toPage(rows, query, toView, (row) => row);
}

/** The same page with each row mapped (to its view). */
export function mapPage<R, V>(page: Page<R>, toView: (row: R) => V): Page<V> {
  return { data: page.data.map(toView), nextCursor: page.nextCursor };
}

const batchers = new WeakMap<Sql, PageBatcher>();

function batcherOf(db: Sql): PageBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new PageBatcher(db)));
  return batcher;
}

/** Row counts `jsonPage` fetches (one more than these, to see a next page); the API allows at most 200. */
const PAGE_BUCKETS = [10, 25, 50, 100, 200];

/**
 * The same keyset pagination for the hottest lists, served as stored text: each row's view is already JSON in the
 * table (see the InvoiceViewJson migration), and the page is those texts joined, so that neither Postgres nor Node
 * formats, parses or stringifies anything per row. Returns a Page as JSON, in UTF-8; the controller sends it as is
 * (`sendJson`).
 */
export async function jsonPage(db: Sql, source: JsonSource, query: PageRequest): Promise<Buffer> {
  const { table, alias: a, json, filter, batch } = source;
  const limit = query.limit ?? 50;
  if (query.cursor) {
    const c = creationCursor(query.cursor);
    filter.and(`(${a}.created_at, ${a}.id) > (${filter.param(c.createdAt, 'timestamptz')}, ${filter.param(c.id, 'uuid')})`);
  }
  // The LIMIT is a literal from a few buckets: with `LIMIT $n` Postgres' generic plan assumes 10 % of the rows and it
  // re-plans on every execution. A page of 30 reads up to 51 rows and sends 30.
  const fetch = PAGE_BUCKETS.find((b) => b >= limit);
  if (!fetch || !Number.isInteger(limit)) throw new Error(`page size ${limit} is not an integer from 1 to 200 (the API's ListQueryDto checks it)`);
  const statement = { table, alias: a, json, filter, rows: fetch + 1 };
  const rows = batch ? await batcherOf(db).read(statement) : await db.query<{ json: string }>(pageSql(statement), filter.params);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map((r) => r.json);
  let next = 'null';
  if (more) {
    const last = JSON.parse(page[page.length - 1]) as { id: string; createdAt: string };
    next = JSON.stringify(encodeCursor(new Date(last.createdAt).toISOString(), last.id));
  }
  return utf8Join('{"data":[', page, `],"nextCursor":${next}}`);
}

/**
 * `head + parts.join(',') + tail` as UTF-8, each part encoded straight into one buffer of the exact size: joining
 * strings made two more heap copies of every page for the garbage collector.
 */
export function utf8Join(head: string, parts: string[], tail: string): Buffer {
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(parts.length - 1, 0);
  for (const part of parts) size += Buffer.byteLength(part);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  parts.forEach((part, i) => {
    if (i > 0) at = out.writeUInt8(0x2c, at); // ','
    at += out.write(part, at);
  });
  at += out.write(tail, at);
  // allocUnsafe leaves old memory in the buffer: every byte must have been written.
  if (at !== size) throw new Error(`utf8Join wrote ${at} of ${size} bytes`);
  return out;
}

function keysetPage<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  query: PageRequest,
  options: { newestFirst?: boolean },
): SelectQueryBuilder<E> {
  const alias = qb.alias;
  const direction = options.newestFirst ? 'DESC' : 'ASC';
  if (query.cursor) {
    const c = creationCursor(query.cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) ${options.newestFirst ? '<' : '>'} (:cursorAt, :cursorId)`,
      { cursorAt: c.createdAt, cursorId: c.id });
  }
  return qb.orderBy(`${alias}.created_at`, direction).addOrderBy(`${alias}.id`, direction).limit((query.limit ?? 50) + 1);
}

function toPage<R, V>(rows: R[], query: PageRequest, toView: (row: R) => V, cursorOf: (row: R) => Cursor): Page<V> {
  const limit = query.limit ?? 50;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  if (!more || !last) return { data: page.map(toView), nextCursor: null };
  const c = cursorOf(last);
  return { data: page.map(toView), nextCursor: encodeCursor(c.createdAt.toISOString(), c.id) };
}
