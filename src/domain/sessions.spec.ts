import {
  isSessionLive, keptUserAgent, needsTouch, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, sessionExpiresAt,
} from './sessions';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe(sessionExpiresAt.name, () => {
  it('is 30 minutes after the last request while that comes before the 12-hour limit', () => {
    const s = { createdAt: at('2026-12-01T08:00:00Z'), lastSeenAt: at('2026-12-01T09:00:00Z') };
    expect(sessionExpiresAt(s).toISOString()).toBe('2026-12-01T09:30:00.000Z');
  });

  it('is 12 hours after sign-in however recent the last request', () => {
    const s = { createdAt: at('2026-12-01T08:00:00Z'), lastSeenAt: at('2026-12-01T19:50:00Z') };
    expect(sessionExpiresAt(s).toISOString()).toBe('2026-12-01T20:00:00.000Z');
  });
});

describe(isSessionLive.name, () => {
  const createdAt = at('2026-12-01T08:00:00Z');

  it('ends a session idle for 30 minutes, not one idle for 29', () => {
    const lastSeenAt = at('2026-12-01T10:00:00Z');
    expect(isSessionLive({ createdAt, lastSeenAt }, new Date(lastSeenAt.getTime() + minutes(29)))).toBe(true);
    expect(isSessionLive({ createdAt, lastSeenAt }, new Date(lastSeenAt.getTime() + SESSION_IDLE_MS))).toBe(false);
  });

  it('ends a session 12 hours after sign-in even when it was used a second ago', () => {
    const now = new Date(createdAt.getTime() + SESSION_ABSOLUTE_MS);
    expect(isSessionLive({ createdAt, lastSeenAt: new Date(now.getTime() - 1000) }, now)).toBe(false);
    expect(isSessionLive({ createdAt, lastSeenAt: new Date(now.getTime() - 1000) }, new Date(now.getTime() - 1))).toBe(true);
  });
});

describe(needsTouch.name, () => {
  it('records the last request at most once a minute', () => {
    const s = { createdAt: at('2026-12-01T08:00:00Z'), lastSeenAt: at('2026-12-01T08:10:00Z') };
    expect(needsTouch(s, at('2026-12-01T08:10:59Z'))).toBe(false);
    expect(needsTouch(s, at('2026-12-01T08:11:00Z'))).toBe(true);
  });
});

describe(keptUserAgent.name, () => {
  it('keeps at most 200 characters, and nothing of an empty header', () => {
    expect(keptUserAgent('x'.repeat(500))).toHaveLength(200);
    expect(keptUserAgent('  ')).toBeNull();
    expect(keptUserAgent(undefined)).toBeNull();
  });
});
