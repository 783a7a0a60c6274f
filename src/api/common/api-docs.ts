import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiError } from './api-exception.filter';

const reasons: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 422: 'Unprocessable Entity', 503: 'Service Unavailable',
};

/** Documents the error answers of a route, each with an example `{ statusCode, error, message }` body. */
export function ApiErrors(errors: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(...Object.entries(errors).map(([code, message]) => {
    const status = Number(code);
    const example: ApiError = { statusCode: status, error: reasons[status] ?? 'Error', message };
    return ApiResponse({ status, description: message, schema: { example } });
  }));
}

/** Every ledger route: Bearer API key, 401 when it is missing or revoked. */
export function ApiAuthenticated(): ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'Missing, unknown or revoked API key',
      schema: { example: { statusCode: 401, error: 'Unauthorized', message: 'the API key is unknown or has been revoked' } },
    }),
  );
}
