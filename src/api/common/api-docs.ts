/**
 * OpenAPI conventions: the DTO classes are the one source of truth of both the validation and the document.
 * - Request DTO: a class named `…Dto` (its schema then refuses unknown fields, as the ValidationPipe does), with
 *   class-validator decorators and an @ApiProperty that spreads the fragment matching them (`...uuid`,
 *   `...money`, `...date`, `...dateTime`, `...nullable(uuid)`). A nullable field always names its `type`.
 * - Response: a class with @ApiSchema({ name: 'Invoice' }) and an @ApiProperty on every field; its mapper is typed to
 *   return that class, so tsc keeps the two together. A list answers `PageOf(InvoiceView)` (component `InvoicePage`).
 * - Route: @ApiOperation({ summary }), @ApiOkResponse/@ApiCreatedResponse({ type, example }), and
 *   @ApiErrors({ 404: 'example message', ... }) (or @ApiErrors(404, 409)) for the answers particular to it. The
 *   answers every route shares (400 for a bad id, query or body, 401, 413, 415) are added by `documentSharedErrors`,
 *   from what the operation declares, because the pipes and guards that produce them are global.
 */
import { applyDecorators, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiPropertyOptions, ApiResponse, ApiSchema, OpenAPIObject } from '@nestjs/swagger';
import { MONEY, POSITIVE_MONEY } from '../../domain/money';
import { TIME_ZONE_NAMES, TIME_ZONES } from '../../domain/time-zones';

export const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemView {
  @ApiProperty({ type: String, example: 'actions.0.to.emails.1' }) field!: string;
  @ApiProperty({ type: String, example: 'actions[0].to.emails[1]: "nope" is not an email address' }) message!: string;
}

/** The body of every error answer (`ApiExceptionFilter`). */
@ApiSchema({ name: 'Error' })
export class ErrorView {
  @ApiProperty({ type: Number, example: 404, minimum: 400, maximum: 599 }) statusCode!: number;
  @ApiProperty({ type: String, example: 'Not Found' }) error!: string;
  @ApiProperty({ type: String, example: 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found' }) message!: string;
  @ApiPropertyOptional({
    type: () => [FieldProblemView],
    description: 'On a 400 for invalid input: each field named by its dotted path in the body (actions.0.to.emails.1: list items by index), '
      + 'with its sentence, which the message above also says',
  })
  fields?: FieldProblemView[];
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'a parameter or a field of the body is invalid',
  401: 'the API key is unknown or has been revoked',
  403: 'only an admin of the company may do this',
  404: 'no such record in the caller\'s company',
  409: 'the record is in a state that does not allow this',
  413: 'request body is larger than the allowed limit',
  415: 'send the request body as JSON with "Content-Type: application/json"',
  422: 'the request is well formed but cannot be carried out',
  503: 'a service the API depends on is unavailable; try again shortly',
};

function errorResponse(status: number, message = DEFAULT_MESSAGES[status] ?? REASONS[status] ?? 'Error') {
  return {
    description: message,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/Error' },
        example: { statusCode: status, error: REASONS[status] ?? 'Error', message },
      },
    },
  };
}

/**
 * Documents the error answers of a route with the `Error` schema: `ApiErrors(404, 409)`, or with the example message
 * of each, `ApiErrors({ 404: 'invoice … not found' })`.
 */
export function ApiErrors(...errors: (number | Record<number, string>)[]): MethodDecorator & ClassDecorator {
  return errorDecorators(errors, true);
}

/** Like ApiErrors, for a shared decorator (e.g. Idempotent): a status the route documents itself keeps its example. */
export function ApiErrorsUnlessDocumented(...errors: (number | Record<number, string>)[]): MethodDecorator & ClassDecorator {
  return errorDecorators(errors, false);
}

function errorDecorators(errors: (number | Record<number, string>)[], overrideExisting: boolean): MethodDecorator & ClassDecorator {
  const entries = errors.flatMap((e): [number, string | undefined][] =>
    (typeof e === 'number' ? [[e, undefined]] : Object.entries(e).map(([c, m]) => [Number(c), m])));
  return applyDecorators(...entries.map(([status, message]) => {
    const { description, content } = errorResponse(status, message);
    const decorator = ApiResponse({ status, description, type: ErrorView, example: content['application/json'].example });
    if (overrideExisting) return decorator;
    // ApiResponse's own `overrideExisting: false` skips when the route documents any status; this skips only this one.
    return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
      const documented = descriptor && (Reflect.getMetadata('swagger/apiResponse', descriptor.value) as Record<string, unknown> | undefined);
      if (documented?.[String(status)]) return descriptor;
      return (decorator as (t: object, k?: string | symbol, d?: PropertyDescriptor) => unknown)(target, key, descriptor);
    }) as MethodDecorator & ClassDecorator;
  }));
}

/** Every ledger route: Bearer API key (its 401 is documented by `documentSharedErrors`). */
export function ApiAuthenticated(): ClassDecorator {
  return applyDecorators(ApiBearerAuth());
}

// Schema fragments for @ApiProperty, each matching a validator (see the conventions above).
export const uuid = { type: String, format: 'uuid', example: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12' } satisfies ApiPropertyOptions;
/** A money amount as the API takes and answers it: a decimal string, at most two decimals, not negative. */
export const money = { type: String, pattern: MONEY.source, example: '1250.00' } satisfies ApiPropertyOptions;
/** A money amount more than 0.00 (IsMoney({ positive: true })). */
export const positiveMoney = { type: String, pattern: POSITIVE_MONEY.source, example: '250.00' } satisfies ApiPropertyOptions;
export const date = { type: String, format: 'date', example: '2026-12-01' } satisfies ApiPropertyOptions;
export const dateTime = { type: String, format: 'date-time', example: '2026-12-01T14:03:11.123Z' } satisfies ApiPropertyOptions;
export const text = { type: String } satisfies ApiPropertyOptions;
export const email = { type: String, format: 'email', example: 'billing@globex.test' } satisfies ApiPropertyOptions;
export const integer = { type: 'integer' } satisfies ApiPropertyOptions;
/** A zone the API takes (component `TimeZoneName`): a canonical IANA zone or one of its aliases (US/Eastern), stored and answered canonical. */
export const timezone = {
  enum: [...TIME_ZONE_NAMES], enumName: 'TimeZoneName', example: 'America/Toronto',
  description: 'An IANA time zone; an alias (America/Montreal, Asia/Calcutta) is stored and answered as its IANA canonical zone (America/Toronto, Asia/Kolkata)',
} satisfies ApiPropertyOptions;
/** The same, or null. */
export const nullableTimezone = { ...timezone, nullable: true } satisfies ApiPropertyOptions;
/** A zone as the API answers it (component `TimeZone`): canonical only. */
export const canonicalTimezone = { enum: [...TIME_ZONES], enumName: 'TimeZone', example: 'America/Toronto' } satisfies ApiPropertyOptions;
/** An ISO 4217 code Intl knows (component `Currency`). */
export const currency = { enum: Intl.supportedValuesOf('currency'), enumName: 'Currency', example: 'CAD' } satisfies ApiPropertyOptions;
/** `nullable(uuid)`: the same value or null. */
export const nullable = <T extends ApiPropertyOptions>(fragment: T): T & { nullable: true } => ({ ...fragment, nullable: true });

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const pages = new Map<Type<unknown>, Type<Page<unknown>>>();

/** The page of a list (`{ data, nextCursor }`), named after its item: `PageOf(InvoiceView)` is the `InvoicePage` schema. */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage implements Page<T> {
    @ApiProperty({ type: [item] }) data!: T[];
    @ApiProperty({ ...nullable(text), description: 'Pass as `cursor` for the next page; null on the last page', example: null })
    nextCursor!: string | null;
  }
  const name = schemaName(item);
  ApiSchema({ name: `${name}Page` })(ItemPage);
  Object.defineProperty(ItemPage, 'name', { value: `${name}Page` });
  pages.set(item, ItemPage);
  return ItemPage;
}

function schemaName(type: Type<unknown>): string {
  const meta = Reflect.getMetadata('swagger/apiSchema', type) as { name?: string }[] | undefined;
  return meta?.find((m) => m.name)?.name ?? type.name;
}

/** A PATCH body names at least one field (`methodGuard` answers 400 to `{}`). */
function requireSomeField(document: OpenAPIObject, op: Operation): void {
  const ref = (op.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.['application/json']?.schema?.$ref;
  const schema = ref ? document.components?.schemas?.[ref.split('/').pop()!] : undefined;
  if (schema && !('$ref' in schema)) schema.minProperties = 1;
}

type Operation = {
  parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, unknown>;
};

/**
 * Adds the answers that global pipes, guards and middleware give: 400 (a malformed id, query or body: the
 * ValidationPipe and IdPipe; an empty PATCH: `methodGuard`), 401 (the AuthGuard, on every secured route), 413 and 415
 * (the JSON body parser). Public routes get an explicit empty `security`, `:id` is a uuid (IdPipe), and a request
 * DTO (a schema named `…Dto`) refuses other fields.
 * A route's own decorator, when present, keeps its own example.
 */
export function documentSharedErrors(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
      const add = (status: number) => { op.responses[String(status)] ??= errorResponse(status); };
      op.security ??= []; // @Public(): said explicitly, so a reader (and a linter) knows it is meant
      // The IdPipe checks every `:id`; the IdempotencyInterceptor reads its key for a signed-in caller only.
      for (const p of op.parameters ?? []) if (p.in === 'path' && p.name === 'id') p.schema = { type: 'string', format: 'uuid' };
      if (op.security.length === 0) op.parameters = op.parameters?.filter((p) => !(p.in === 'header' && p.name === 'Idempotency-Key'));
      if (op.requestBody || (op.parameters ?? []).some((p) => p.in === 'path' || p.in === 'query')) add(400);
      if ((op.security ?? []).length > 0) add(401);
      if (method === 'patch') requireSomeField(document, op);
      if (op.requestBody || method === 'post' || method === 'patch') {
        add(400);
        add(413);
        add(415);
      }
    }
  }
  // Request DTOs (`…Dto`) take no other field: the ValidationPipe forbids unknown ones.
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (name.endsWith('Dto') && !('$ref' in schema)) schema.additionalProperties = false;
  }
  return document;
}
