/**
 * WHERE clauses and their typed parameters, built together so that each placeholder always matches its value. The
 * same clauses render with `$n::type` placeholders (one statement) or reading each value from elsewhere (PageBatcher
 * reads them from a JSON array of many requests' parameters). Clauses are written by code, never from input.
 */
export class SqlFilter {
  readonly params: unknown[] = [];
  readonly types: string[] = [];
  private readonly clauses: string[] = [];

  /** Adds a value of a Postgres type (`uuid`, `text[]`, ...) and returns its placeholder. */
  param(value: unknown, type: string): string {
    this.params.push(value);
    this.types.push(type);
    return `\u0001${this.params.length - 1}\u0001`;
  }

  and(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  /** How many clauses. */
  get size(): number {
    return this.clauses.length;
  }

  /** Equal for two filters exactly when their clauses and parameter types are, whatever the values. */
  get shape(): string {
    return `${this.clauses.join(' AND ')}\u0000${this.types.join(',')}`;
  }

  /** The clauses with `$1::type`, `$2::type`, ... placeholders, for `params`. */
  get sql(): string {
    return this.render((index, type) => `$${index + 1}::${type}`);
  }

  /** The clauses with each parameter (0-based `index`) written as `ref` says. */
  render(ref: (index: number, type: string) => string): string {
    const text = this.clauses.length ? this.clauses.join(' AND ') : 'TRUE';
    return text.replace(/\u0001(\d+)\u0001/g, (_, index: string) => ref(Number(index), this.types[Number(index)]));
  }
}

/** What `jsonPage` reads: `SELECT <json> FROM <table> <alias> WHERE <filter>`. */
export interface JsonSource {
  table: string;
  alias: string;
  /** An expression giving each row's view as JSON text, with its `id` and `createdAt` (ISO 8601) fields. */
  json: string;
  filter: SqlFilter;
  /**
   * Read together with concurrent requests of the same shape (PageBatcher). Only for filters that the order's index
   * serves exactly (the company, the cursor), so that a statement costs at most its page: a filter that makes
   * Postgres walk past many rows must never hold back other tenants' pages that share its statement.
   */
  batch?: boolean;
}
