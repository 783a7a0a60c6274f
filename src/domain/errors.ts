/** A business rule refused the request; the API maps it to the given status with a clear message. */
export class DomainError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}
