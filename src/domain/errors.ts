/** A field the request got wrong: its dotted path in the body (`actions.0.to.emails.1`) and the full sentence. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A business rule refused the request; the API maps it to the given status with a clear message. */
export class DomainError extends Error {
  constructor(readonly statusCode: number, message: string, readonly fields?: FieldProblem[]) {
    super(message);
  }
}

/** `actions[0].to.emails[1]` as `actions.0.to.emails.1`: the one notation the API names fields in. */
export function dottedPath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}
