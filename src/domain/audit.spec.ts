import { AUDIT_EVENT_TYPE_NAMES, auditDataProblem, auditTargetType, changesOf, isAuditEventType, urlOrigin } from './audit';

describe('audit trail', () => {
  it('names every type <target>.<action> in lower snake case, the target being what comes before the last dot', () => {
    for (const type of AUDIT_EVENT_TYPE_NAMES) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(auditTargetType('api_key.issued')).toBe('api_key');
    expect(auditTargetType('webhook_endpoint.secret_rotated')).toBe('webhook_endpoint');
    expect(isAuditEventType('workflow.created')).toBe(true);
    expect(isAuditEventType('constructor')).toBe(false);
  });

  it('lists the fields that changed with their old and new values, comparing objects by value whatever the order of their keys', () => {
    const before = { name: 'A', plan: 'advanced', sendWindow: { from: '08:00', to: '18:00' }, limit: null as string | null };
    const after = { name: 'A', plan: 'essentials', sendWindow: { from: '08:00', to: '18:00' }, limit: '10.00' };
    const reordered = { ...after, sendWindow: { to: '18:00', from: '08:00' } };
    expect(changesOf(after, reordered, ['name', 'plan', 'sendWindow', 'limit'])).toEqual({});
    expect(changesOf(before, after, ['name', 'plan', 'sendWindow', 'limit'])).toEqual({
      plan: { old: 'advanced', new: 'essentials' },
      limit: { old: null, new: '10.00' },
    });
  });

  it('keeps only the origin of a URL (its path or query may carry a token)', () => {
    expect(urlOrigin('https://hooks.example.com:8443/services/T000/B000/XXXX?token=abc')).toBe('https://hooks.example.com:8443');
    expect(urlOrigin(null)).toBeNull();
    expect(urlOrigin('not a url')).toBeNull();
  });

  it('refuses data that names a secret, a key, a token or a message, at any depth, and data too large to be a line', () => {
    expect(auditDataProblem({ changes: { name: { old: 'a', new: 'b' } } })).toBeNull();
    expect(auditDataProblem({ userId: 'u', prefix: 'a1B2c3D4' })).toBeNull();
    expect(auditDataProblem({ changes: { webhookSecret: { old: 'x', new: 'y' } } })).toMatch(/webhookSecret/);
    expect(auditDataProblem({ apiKey: 'rlk_…' })).toMatch(/apiKey/);
    expect(auditDataProblem({ actions: [{ body: 'Hello' }] })).toMatch(/body/);
    expect(auditDataProblem({ note: 'x'.repeat(5000) })).toMatch(/at most 4000/);
  });
});
