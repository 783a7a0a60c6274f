import { AuthCache } from './auth-cache';
import { AuthUser } from './current-user.decorator';

const user = (apiKeyId: string, companyId = 'c1'): AuthUser => ({
  id: 'u', companyId, role: 'admin', name: 'A', email: 'a@x.test', apiKeyId,
  company: { id: companyId, name: 'C', locale: 'en-US', timezone: 'UTC', currency: 'USD', plan: 'advanced' },
});

describe(AuthCache.name, () => {
  it('answers until the entry expires', () => {
    const cache = new AuthCache();
    cache.set('h1', user('k1'), 1000);
    expect(cache.get('h1', 1000 + AuthCache.TTL_MS - 1)?.apiKeyId).toBe('k1');
    expect(cache.get('h1', 1000 + AuthCache.TTL_MS)).toBeUndefined();
  });

  it('forgets a revoked key and every key of a changed company', () => {
    const cache = new AuthCache();
    cache.set('h1', user('k1'));
    cache.set('h2', user('k2'));
    cache.set('h3', user('k3', 'c2'));
    cache.forgetKey('k1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBeDefined();
    cache.forgetCompany('c1');
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h3')).toBeDefined();
  });
});
