import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from '../config';

/** What a sealed value is for: part of what is authenticated, so that one kind cannot be passed off as another. */
export type SecretPurpose = 'webhook-secret' | 'idempotent-response';

const PREFIX = 'sb1';

/**
 * AES-256-GCM for what must be used again (webhook signing secrets, kept idempotent answers), under
 * RELANCE_SECRET_KEYS: `sb1:<keyId>:<iv>:<ciphertext+tag>` (base64url). The first key seals; every key listed opens
 * what carries its id, so a new key can go first while values sealed under the old one are still read.
 */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: SecretKey[]) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}:`);
  }

  seal(plaintext: string, purpose: SecretPurpose): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${purpose}:${id}`));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}:${id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** Throws, naming only the key id, when the value is not sealed, its key is not listed, or it was altered. */
  open(value: string, purpose: SecretPurpose): string {
    const [prefix, id, ivText, sealedText, ...rest] = value.split(':');
    if (prefix !== PREFIX || !id || !ivText || !sealedText || rest.length > 0) throw new Error(`a ${purpose} is not a sealed value`);
    const key = this.byId.get(id);
    if (!key) throw new Error(`a ${purpose} is sealed under the key "${id}", which RELANCE_SECRET_KEYS no longer lists`);
    const sealed = Buffer.from(sealedText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(`${purpose}:${id}`));
    try {
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`a ${purpose} sealed under the key "${id}" does not authenticate (altered, or another key of that id)`);
    }
  }

  /** The start of every value sealed now: what is not sealed, or sealed under an older key, does not start so. */
  get currentPrefix(): string {
    return `${PREFIX}:${this.keys[0].id}:`;
  }
}
