import type { SecretKey } from '../config';
import { Keyring, KeyringError, KEYRING_IV_BYTES } from './keyring';

/** What a sealed value is for: part of what is authenticated, so that one kind cannot be passed off as another. */
export type SecretPurpose = 'webhook-secret' | 'idempotent-response';

const PREFIX = 'sb1';

/**
 * AES-256-GCM for what must be used again (webhook signing secrets, kept idempotent answers), under
 * RELANCE_SECRET_KEYS: `sb1:<keyId>:<iv>:<ciphertext+tag>` (base64url). The first key seals; every key listed opens
 * what carries its id, so a new key can go first while values sealed under the old one are still read.
 */
export class SecretBox {
  private readonly keyring: Keyring;

  constructor(keys: SecretKey[]) {
    this.keyring = new Keyring(keys, 'SecretBox');
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}:`);
  }

  seal(plaintext: string, purpose: SecretPurpose): string {
    const sealed = this.keyring.seal(Buffer.from(plaintext, 'utf8'), (id) => `${purpose}:${id}`);
    const iv = sealed.subarray(0, KEYRING_IV_BYTES).toString('base64url');
    return `${PREFIX}:${this.keyring.currentId}:${iv}:${sealed.subarray(KEYRING_IV_BYTES).toString('base64url')}`;
  }

  /** Throws, naming only the key id, when the value is not sealed, its key is not listed, or it was altered. */
  open(value: string, purpose: SecretPurpose): string {
    const [prefix, id, ivText, sealedText, ...rest] = value.split(':');
    if (prefix !== PREFIX || !id || !ivText || !sealedText || rest.length > 0) throw new Error(`a ${purpose} is not a sealed value`);
    try {
      const sealed = Buffer.concat([Buffer.from(ivText, 'base64url'), Buffer.from(sealedText, 'base64url')]);
      return this.keyring.open(id, sealed, (keyId) => `${purpose}:${keyId}`).toString('utf8');
    } catch (err) {
      if (err instanceof KeyringError && err.reason === 'unknown-key') {
        throw new Error(`a ${purpose} is sealed under the key "${id}", which RELANCE_SECRET_KEYS no longer lists`);
      }
      throw new Error(`a ${purpose} sealed under the key "${id}" does not authenticate (altered, or another key of that id)`);
    }
  }

  /** The start of every value sealed now: what is not sealed, or sealed under an older key, does not start so. */
  get currentPrefix(): string {
    return `${PREFIX}:${this.keyring.currentId}:`;
  }
}
