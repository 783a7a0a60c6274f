import { JsonNestLogger } from './request-log';

describe(JsonNestLogger.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('redacts a link\'s token from the message, the stack and the fields of Nest\'s lines', () => {
    const token = 'q2Vb0nIY9W1ZfXcEJtWZf5o1mQ0YdLxH7aB_c-3kTQs';
    const lines: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((line) => lines.push(String(line)) > 0);
    new JsonNestLogger().error(`request to /approvals/${token} failed`, { requestId: 'r1', error: `GET /unsubscribe/${token}?x=1` },
      `Error: at /approvals/${token}\n    at handler`, 'ApiExceptionFilter');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(token);
    expect(JSON.parse(lines[0])).toMatchObject({
      msg: 'request to /approvals/:token failed', error: 'GET /unsubscribe/:token?x=1', stack: 'Error: at /approvals/:token\n    at handler',
      context: 'ApiExceptionFilter', requestId: 'r1',
    });
  });
});
