import { Injectable } from '@nestjs/common';
import { AuthUser } from './current-user.decorator';

/**
 * Recently authenticated keys, so that a burst of calls with one key costs one database lookup, not one per call.
 * Revoking a key or changing a company through this process forgets the affected entries at once; other API
 * processes notice within TTL_MS, the bound on how long a revoked key may still be honoured anywhere.
 */
@Injectable()
export class AuthCache {
  static readonly TTL_MS = 5000;
  private static readonly MAX_ENTRIES = 10_000;
  private readonly entries = new Map<string, { user: AuthUser; expiresAt: number }>();

  get(keyHash: string, now = Date.now()): AuthUser | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.user;
  }

  set(keyHash: string, user: AuthUser, now = Date.now()): void {
    if (this.entries.size >= AuthCache.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyHash, { user, expiresAt: now + AuthCache.TTL_MS });
  }

  forgetKey(apiKeyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.user.apiKeyId === apiKeyId) this.entries.delete(hash);
  }

  forgetUser(userId: string): void {
    for (const [hash, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(hash);
  }

  forgetCompany(companyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.user.companyId === companyId) this.entries.delete(hash);
  }
}
