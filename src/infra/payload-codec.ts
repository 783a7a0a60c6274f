import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '../config';
import { Keyring, KeyringError } from './keyring';

/** The `encoding` of an encrypted payload; a payload without it (a recorded history, a run started before the keys) passes through. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';

/** A payload this process cannot decrypt: an unknown key id, a tampered or truncated ciphertext. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
/** The key id is bound to the ciphertext: a payload relabelled with another id fails to authenticate. */
const aad = (keyId: string) => `relance-payload/${CIPHER}/${keyId}`;

/**
 * Encrypts every payload (the serialized Payload, metadata included) with AES-256-GCM under the first key of
 * RELANCE_PAYLOAD_KEYS, and names the key in the payload's metadata; decrypts with whichever key the payload names, so
 * that a retired key still reads the runs it wrote. Each payload gets a random 96-bit IV.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keyring: Keyring;

  constructor(keys: readonly PayloadKey[]) {
    this.keyring = new Keyring(keys, 'EncryptionCodec');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  encrypt(payload: Payload): Payload {
    const data = this.keyring.seal(temporal.api.common.v1.Payload.encode(payload).finish(), aad);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [CIPHER_METADATA]: utf8(CIPHER), [KEY_ID_METADATA]: utf8(this.keyring.currentId) },
      data: new Uint8Array(data),
    };
  }

  decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new PayloadDecryptionError(`an encrypted payload names no key (its "${KEY_ID_METADATA}" metadata is missing)`);
    try {
      return temporal.api.common.v1.Payload.decode(this.keyring.open(keyId, Buffer.from(payload.data ?? new Uint8Array()), aad));
    } catch (err) {
      if (!(err instanceof KeyringError)) throw err;
      throw new PayloadDecryptionError({
        'unknown-key': `a payload is encrypted with key "${keyId}", which RELANCE_PAYLOAD_KEYS does not hold: ` +
          'add it back (a key must be kept while any run may still use it)',
        truncated: `an encrypted payload of key "${keyId}" is truncated`,
        unauthentic: `a payload encrypted with key "${keyId}" fails authentication: altered, or another key under that id`,
      }[err.reason]);
    }
  }
}

/** The module whose `failureConverter` moves failure messages and stack traces into a payload, which the codec encrypts. */
export const ENCODED_FAILURES_PATH = require.resolve('./encoded-failures');

/**
 * The data converter of every client and worker: undefined (the SDK's default, nothing encrypted) without keys. With
 * keys, payloads are encrypted, and failure messages and stack traces too (they are payloads then).
 */
export function payloadDataConverter(keys: readonly PayloadKey[] | undefined): DataConverter | undefined {
  if (!keys?.length) return undefined;
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: ENCODED_FAILURES_PATH };
}
