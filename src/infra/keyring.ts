import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a sealed value cannot be opened; each user of the keyring says it in its own words. */
export class KeyringError extends Error {
  constructor(readonly reason: 'unknown-key' | 'truncated' | 'unauthentic', readonly keyId: string) {
    super(`${reason} (key "${keyId}")`);
  }
}

/**
 * AES-256-GCM under a list of keys (RELANCE_SECRET_KEYS, RELANCE_PAYLOAD_KEYS): the first seals, every key opens what
 * names its id, so a new key can go first while what the old one sealed is still read. A sealed value is
 * `iv ‖ ciphertext ‖ tag`, with a random 96-bit IV; `context` (which names the key id) is authenticated with it, so a
 * value relabelled with another id or passed off as another kind fails.
 */
export class Keyring {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(private readonly keys: readonly EncryptionKey[], what: string) {
    if (keys.length === 0) throw new Error(`${what} needs at least one key`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key that seals. */
  get currentId(): string {
    return this.keys[0].id;
  }

  seal(plain: Uint8Array, context: (keyId: string) => string): Buffer {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context(id), 'utf8'));
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  /** Throws a KeyringError when the key is not listed, the value is too short, or it does not authenticate. */
  open(keyId: string, sealed: Buffer, context: (keyId: string) => string): Buffer {
    const key = this.byId.get(keyId);
    if (!key) throw new KeyringError('unknown-key', keyId);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new KeyringError('truncated', keyId);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context(keyId), 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new KeyringError('unauthentic', keyId);
    }
  }
}

/** The IV's length: a sealed value's first bytes (the secret box's stored format writes it apart). */
export const KEYRING_IV_BYTES = IV_BYTES;
