import { Logger, type ArgumentsHost } from '@nestjs/common';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiLogger, JsonNestLogger } from './request-log';

describe(ApiExceptionFilter.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected fault as one JSON line carrying the request id and the stack as fields', () => {
    const lines: Record<string, unknown>[] = [];
    jest.spyOn(apiLogger, 'error').mockImplementation((msg, fields) => void lines.push({ msg, ...fields }));
    const nest = new JsonNestLogger();
    // The filter's Nest Logger writes through the app's logger: the one the API installs.
    Logger.overrideLogger(nest);
    const res = { getHeader: () => 'req-42', status: () => res, json: () => res };
    const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(new Error('boom'), host);
    expect(lines).toEqual([expect.objectContaining({
      msg: 'request failed', requestId: 'req-42', error: 'boom', stack: expect.stringContaining('Error: boom'), context: 'ApiExceptionFilter',
    })]);
  });
});
