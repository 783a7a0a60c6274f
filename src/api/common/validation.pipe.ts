import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '../../domain/errors';

/** How many validated query strings are kept, over all routes; the least recently used go first. */
const QUERY_MEMO_SIZE = 1000;
/** Longer query strings are checked every time rather than kept. */
const QUERY_MEMO_MAX_KEY = 2048;

/**
 * Nest's ValidationPipe (same options, same errors), remembering the query strings it has accepted: a query's DTO is
 * a pure function of class and query, and clients repeat queries (measured in bench/README.md).
 *
 * The last QUERY_MEMO_SIZE accepted queries are kept, frozen, so a handler cannot change what the next request
 * receives. Refused queries are not kept (each gets its 400 from the full check); bodies and path parameters are
 * always checked.
 */
export class MemoValidationPipe extends ValidationPipe {
  private readonly accepted = new Map<string, unknown>();
  private readonly classIds = new WeakMap<object, number>();
  private classCount = 0;

  /** Nest's 400 (the same message), with each failure's field by its dotted path: `actions.0.to`. */
  override createExceptionFactory() {
    return (errors: ValidationError[] = []) => new BadRequestException({ message: this.flattenValidationErrors(errors), fields: fieldProblems(errors) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const key = metadata.type === 'query' && metadata.metatype ? this.keyOf(metadata.metatype, value) : undefined;
    if (key === undefined) return super.transform(value, metadata);
    const known = this.accepted.get(key);
    if (known !== undefined) {
      this.accepted.delete(key);
      this.accepted.set(key, known);
      return known;
    }
    const dto = deepFreeze(await super.transform(value, metadata));
    this.accepted.set(key, dto);
    if (this.accepted.size > QUERY_MEMO_SIZE) this.accepted.delete(this.accepted.keys().next().value as string);
    return dto;
  }

  private keyOf(metatype: object, value: unknown): string | undefined {
    const text = JSON.stringify(value);
    if (text === undefined || text.length > QUERY_MEMO_MAX_KEY) return undefined;
    let id = this.classIds.get(metatype);
    if (id === undefined) this.classIds.set(metatype, (id = ++this.classCount));
    return `${id} ${text}`;
  }
}

/** Every constraint that failed, with its property's path; the message is prefixed with the parent's path as Nest does. */
function fieldProblems(errors: ValidationError[], parent?: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: parent ? `${parent}.${message}` : message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
