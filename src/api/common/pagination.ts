import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../../domain/ids';
import type { Sql } from '../../db/sql';
import type { JsonSource } from '../../db/sql-filter';
import { PageBatcher, pageSql } from './page-batcher';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Cursor {
  createdAt: Date;
  id: string;
}

export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Page size' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1, { message: 'limit must be an integer from 1 to 200' })
  @Max(200, { message: 'limit must be an integer from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || !isUuid(id)) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new BadRequestException('cursor is not valid: pass the nextCursor of a previous page unchanged');
  }
}

/**
 * Keyset pagination in creation order on (created_at, id): one indexed range scan per page, whatever the depth.
 * Maps rows with `toView` after fetching one extra row to know whether there is a next page.
 * `newestFirst` walks the same index backwards (inboxes).
 */
export async function paginate<E extends ObjectLiteral & { createdAt: Date; id: string }, V>(
  qb: SelectQueryBuilder<E>,
  query: ListQueryDto,
  toView: (row: E) => V,
  options: { newestFirst?: boolean } = {},
): Promise<Page<V>> {
  const rows = await keysetPage(qb, query, options).getMany();
  return toPage(rows, query, toView, (row) => row);
}

const batchers = new WeakMap<Sql, PageBatcher>();

function batcherOf(db: Sql): PageBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new PageBatcher(db)));
  return batcher;
}

/** Row counts `jsonPage` fetches (one more than these, to see a next page); ListQueryDto allows at most 200. */
const PAGE_BUCKETS = [10, 25, 50, 100, 200];

/**
 * The same keyset pagination for the hottest lists, served as stored text: each row's view is already JSON in the
 * table (see the InvoiceViewJson migration), and the page is those texts joined, so that neither Postgres nor Node
 * formats, parses or stringifies anything per row. Returns a Page as JSON, in UTF-8; the controller sends it as is
 * (`sendJson`).
 */
export async function jsonPage(db: Sql, source: JsonSource, query: ListQueryDto): Promise<Buffer> {
  const { table, alias: a, json, filter, batch } = source;
  const limit = query.limit ?? 50;
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    filter.and(`(${a}.created_at, ${a}.id) > (${filter.param(c.createdAt, 'timestamptz')}, ${filter.param(c.id, 'uuid')})`);
  }
  // The LIMIT is written into the text, not passed as a parameter: with `LIMIT $n` Postgres' generic plan assumes 10 %
  // of the rows, so it re-plans the statement on every execution (0.07 ms, more than running it). Page sizes share a
  // few texts (and so a few prepared statements per connection): a page of 30 reads up to 51 rows and sends 30.
  const fetch = PAGE_BUCKETS.find((b) => b >= limit);
  if (!fetch || !Number.isInteger(limit)) throw new Error(`page size ${limit} is not an integer from 1 to 200 (ListQueryDto checks it)`);
  const statement = { table, alias: a, json, filter, rows: fetch + 1 };
  const rows = batch ? await batcherOf(db).read(statement) : await db.query<{ json: string }>(pageSql(statement), filter.params);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map((r) => r.json);
  let next = 'null';
  if (more) {
    const last = JSON.parse(page[page.length - 1]) as { id: string; createdAt: string };
    next = JSON.stringify(encodeCursor({ createdAt: new Date(last.createdAt), id: last.id }));
  }
  return utf8Join('{"data":[', page, `],"nextCursor":${next}}`);
}

/**
 * `head + parts.join(',') + tail` as UTF-8, each part encoded straight into one buffer of the exact size: joining
 * strings instead made two more copies of a page on the JavaScript heap (the join, then flattening it with its head
 * and tail), which the garbage collector then had to sweep, at thousands of pages a second.
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
  query: ListQueryDto,
  options: { newestFirst?: boolean },
): SelectQueryBuilder<E> {
  const alias = qb.alias;
  const direction = options.newestFirst ? 'DESC' : 'ASC';
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) ${options.newestFirst ? '<' : '>'} (:cursorAt, :cursorId)`,
      { cursorAt: c.createdAt, cursorId: c.id });
  }
  return qb.orderBy(`${alias}.created_at`, direction).addOrderBy(`${alias}.id`, direction).limit((query.limit ?? 50) + 1);
}

function toPage<R, V>(rows: R[], query: ListQueryDto, toView: (row: R) => V, cursorOf: (row: R) => Cursor): Page<V> {
  const limit = query.limit ?? 50;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map(toView), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}

/** Comma-separated list in a query string (`?approvalStatus=a,b`) → array. */
export function splitList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter(Boolean);
}
