import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../../domain/ids';

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

/**
 * The same pagination over raw rows: for hot lists whose SELECT already produces the view's JSON values (text
 * money, ISO instants), skipping entity hydration and Date parsing. The rows must carry `id` and `createdAt`
 * (an ISO 8601 string).
 */
export async function paginateRaw<R extends { id: string; createdAt: string }>(
  qb: SelectQueryBuilder<ObjectLiteral>,
  query: ListQueryDto,
  options: { newestFirst?: boolean } = {},
): Promise<Page<R>> {
  const rows = (await keysetPage(qb, query, options).getRawMany()) as R[];
  return toPage(rows, query, (row) => row, (row) => ({ id: row.id, createdAt: new Date(row.createdAt) }));
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
