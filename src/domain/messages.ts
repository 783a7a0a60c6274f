import Handlebars from 'handlebars';
import { isValidDate, todayIn } from './dates';
import { DomainError } from './errors';
import { CURRENCY_CODES, fromCents, isMoney, toCents } from './money';

/**
 * Message texts (subjects, bodies, task titles, memos) are Handlebars templates over a template's variables.
 * They are checked at save time (syntax, and only offered variables) and rendered with locale-aware helpers.
 */

export class MessageTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageTemplateError';
  }
}

/**
 * A saved text failed to render (a text saved before the checks that now refuse it, or a value no check foresaw): the
 * record's own failure, which retrying will not change. Thrown by every render function, never the underlying error.
 */
export class MessageRenderError extends DomainError {
  constructor(message: string) {
    super(422, `the message cannot be rendered: ${message}`);
    this.name = 'MessageRenderError';
  }
}

export interface RenderOptions {
  locale: string;
  currency: string;
  /** Days of timestamps are taken in this zone; calendar days (YYYY-MM-DD) are shown as they are. Default UTC. */
  timezone?: string;
  /** Escape values for an HTML body; plain text otherwise. Subjects are never escaped. */
  html: boolean;
}

export interface RenderedMessage {
  subject: string;
  body: string;
}

const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;

/**
 * An option of a helper: a literal the check knows, never a variable, since a value the render cannot use throws
 * there, on every record of a sweep.
 */
interface HelperOption {
  /** What it takes, said to whoever wrote another value, and to whoever wrote no literal. */
  takes: string;
  inQuotes: string;
  accepts(value: string): boolean;
}

const DATE_STYLE_LIST = DATE_STYLES.map((s) => `"${s}"`).join(', ');

/** Helpers a message may call, each with the number of arguments it takes and its options. */
const HELPERS: Record<string, { min: number; max: number; hash: Record<string, HelperOption> }> = {
  money: {
    min: 1, max: 1,
    hash: {
      currency: {
        takes: 'an ISO 4217 currency code such as currency="EUR"', inQuotes: 'a currency code in quotes, such as currency="EUR"',
        accepts: (v) => CURRENCY_CODES.has(v),
      },
    },
  },
  date: {
    min: 1, max: 1,
    hash: {
      style: { takes: `one of ${DATE_STYLE_LIST}`, inQuotes: `one of ${DATE_STYLE_LIST} in quotes`, accepts: (v) => (DATE_STYLES as readonly string[]).includes(v) },
    },
  },
  if: { min: 1, max: 1, hash: {} },
  unless: { min: 1, max: 1, hash: {} },
};
const BLOCK_HELPERS = ['if', 'unless'];

interface RenderData {
  locale: string;
  currency: string;
  timezone: string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** Locale and currency formatting of an exact decimal string (Intl formats the string itself, not a float). */
export function formatMoney(amount: unknown, locale: string, currency: string): string {
  const cents = typeof amount === 'string' && isMoney(amount.trim()) ? toCents(amount) : typeof amount === 'bigint' ? amount : null;
  if (cents === null) return amount === null || amount === undefined ? '' : String(amount);
  const format = cached(numberFormats, `${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency }));
  // Intl.NumberFormat formats a decimal string exactly (no float on the way).
  return format.format(fromCents(cents) as unknown as number);
}

/** Locale formatting of a calendar day (YYYY-MM-DD, shown as is) or an instant (its day in `timezone`). */
export function formatDate(value: unknown, locale: string, timezone: string, style: (typeof DATE_STYLES)[number] = 'long'): string {
  let day: string | null = null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) day = todayIn(timezone, value);
  else if (typeof value === 'string' && isValidDate(value.slice(0, 10))) {
    day = value.length > 10 && !Number.isNaN(Date.parse(value)) ? todayIn(timezone, new Date(value)) : value.slice(0, 10);
  }
  if (!day) return value === null || value === undefined ? '' : String(value);
  const format = cached(dateFormats, `${locale}|${style}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }));
  return format.format(new Date(`${day}T00:00:00Z`));
}

type HelperOptions = { hash: Record<string, unknown>; data: { root?: unknown } & Partial<RenderData> };

const handlebars = Handlebars.create();
handlebars.registerHelper('money', function (value: unknown, options: HelperOptions) {
  const currency = typeof options.hash.currency === 'string' ? options.hash.currency : options.data.currency ?? 'USD';
  return formatMoney(value, options.data.locale ?? 'en-US', currency);
});
handlebars.registerHelper('date', function (value: unknown, options: HelperOptions) {
  const style = DATE_STYLES.find((s) => s === options.hash.style) ?? 'long';
  return formatDate(value, options.data.locale ?? 'en-US', options.data.timezone ?? 'UTC', style);
});

type Node = hbs.AST.Node;

function describeLocation(node: Node): string {
  return node.loc ? ` (line ${node.loc.start.line}, column ${node.loc.start.column + 1})` : '';
}

/** Throws MessageTemplateError unless `text` compiles and uses only `allowedVariables` and the message helpers. */
export function checkMessageTemplate(text: string, allowedVariables: readonly string[]): void {
  if (typeof text !== 'string') throw new MessageTemplateError('must be a string');
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(text);
  } catch (err) {
    const detail = (err as Error).message.split('\n').filter((line) => line.trim() && !/^-*\^$/.test(line.trim()));
    throw new MessageTemplateError(`does not compile: ${detail.join(' ').replace(/\s+/g, ' ')}`);
  }
  const allowed = new Set(allowedVariables);
  const available = () => `available variables: ${[...allowed].join(', ')}`;

  const variable = (path: hbs.AST.PathExpression, at: Node = path) => {
    const name = path.original;
    if (path.data || path.depth > 0 || name === 'this' || name.startsWith('this.') || name.includes('/') || name.startsWith('.')) {
      throw new MessageTemplateError(`uses "${name}"${describeLocation(at)}, which is not a variable; ${available()}`);
    }
    if (!allowed.has(name)) throw new MessageTemplateError(`uses unknown variable "${name}"${describeLocation(at)}; ${available()}`);
  };

  const expression = (node: Node): void => {
    switch (node.type) {
      case 'PathExpression':
        return variable(node as hbs.AST.PathExpression);
      case 'SubExpression':
        return call(node as hbs.AST.SubExpression, false);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
      case 'UndefinedLiteral':
      case 'NullLiteral':
        return;
      default:
        throw new MessageTemplateError(`uses an unsupported expression${describeLocation(node)}`);
    }
  };

  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, block: boolean): void => {
    const path = node.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression') throw new MessageTemplateError(`uses an unsupported expression${describeLocation(node)}`);
    const helper = Object.prototype.hasOwnProperty.call(HELPERS, path.original) ? HELPERS[path.original] : undefined;
    const hashPairs = node.hash?.pairs ?? [];
    if (!helper) {
      if (block) throw new MessageTemplateError(`uses unknown block helper "#${path.original}"${describeLocation(node)}; blocks may use #if and #unless`);
      if (node.params.length || hashPairs.length) {
        throw new MessageTemplateError(`uses unknown helper "${path.original}"${describeLocation(node)}; helpers are ${Object.keys(HELPERS).join(', ')}`);
      }
      return variable(path, node);
    }
    if (BLOCK_HELPERS.includes(path.original) !== block) {
      throw new MessageTemplateError(block
        ? `uses "${path.original}" as a block${describeLocation(node)}; write {{${path.original} value}}`
        : `uses "${path.original}" without a block${describeLocation(node)}; write {{#${path.original} value}}...{{/${path.original}}}`);
    }
    if (node.params.length < helper.min || node.params.length > helper.max) {
      throw new MessageTemplateError(`helper "${path.original}"${describeLocation(node)} takes ${helper.min} value, e.g. {{${path.original} amount}}`);
    }
    for (const pair of hashPairs) {
      const option = Object.prototype.hasOwnProperty.call(helper.hash, pair.key) ? helper.hash[pair.key] : undefined;
      if (!option) throw new MessageTemplateError(`helper "${path.original}" has no option "${pair.key}"${describeLocation(node)}`);
      const named = `helper "${path.original}" option "${pair.key}"${describeLocation(node)}`;
      if (pair.value.type !== 'StringLiteral') throw new MessageTemplateError(`${named} takes ${option.inQuotes}, not a variable or expression`);
      const value = (pair.value as hbs.AST.StringLiteral).value;
      if (!option.accepts(value)) throw new MessageTemplateError(`${named} takes ${option.takes}, not ${JSON.stringify(value)}`);
    }
    node.params.forEach(expression);
  };

  const statements = (body: hbs.AST.Statement[]): void => {
    for (const node of body) {
      switch (node.type) {
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const mustache = node as hbs.AST.MustacheStatement;
          if (!mustache.escaped) {
            throw new MessageTemplateError(`uses triple braces${describeLocation(node)}, which would skip HTML escaping; use {{...}}`);
          }
          call(mustache, false);
          break;
        }
        case 'BlockStatement': {
          const block = node as hbs.AST.BlockStatement;
          call(block, true);
          statements(block.program?.body ?? []);
          statements(block.inverse?.body ?? []);
          break;
        }
        default:
          throw new MessageTemplateError(`uses ${node.type.replace('Statement', '').toLowerCase()}s${describeLocation(node)}, which messages do not support`);
      }
    }
  };
  statements(program.body);
}

type Compiled = HandlebarsTemplateDelegate;
const compiledCache = new Map<string, Compiled>();

function compiled(text: string, escape: boolean): Compiled {
  const key = `${escape ? 'h' : 't'}:${text}`;
  let template = compiledCache.get(key);
  if (!template) {
    if (compiledCache.size > 1000) compiledCache.clear();
    template = handlebars.compile(text, { noEscape: !escape, knownHelpers: { money: true, date: true }, preventIndent: true });
    compiledCache.set(key, template);
  }
  return template;
}

/** Renders one message text; `html` escapes the values it inserts. Throws MessageRenderError, whatever failed. */
export function renderText(text: string, variables: Record<string, unknown>, options: RenderOptions): string {
  const data: RenderData = { locale: options.locale, currency: options.currency, timezone: options.timezone ?? 'UTC' };
  try {
    return compiled(text, options.html)(variables, { data, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (err) {
    throw new MessageRenderError(err instanceof Error ? err.message : String(err));
  }
}

/** Renders a subject (never escaped: it is a mail header, not HTML) and a body (escaped when `html`). */
export function renderMessage(message: RenderedMessage, variables: Record<string, unknown>, options: RenderOptions): RenderedMessage {
  return {
    subject: renderText(message.subject, variables, { ...options, html: false }).replace(/[\r\n]+/g, ' ').trim(),
    body: renderText(message.body, variables, options),
  };
}

/** The HTML part of an email whose body is `text`: values escaped, line breaks kept. */
export function renderHtmlBody(text: string, variables: Record<string, unknown>, options: Omit<RenderOptions, 'html'>): string {
  return renderText(text, variables, { ...options, html: true }).replace(/\r?\n/g, '<br>\n');
}
