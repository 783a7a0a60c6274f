import { DefaultFailureConverter, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeFailure, encodeFailure } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { randomBytes } from 'node:crypto';
import { EncryptionCodec, ENCRYPTED_ENCODING, PayloadDecryptionError } from './payload-codec';
import { failureConverter } from './encoded-failures';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const secret = { customer: 'Globex Corporation', invoiceNumber: 'INV-20931', comment: 'matches PO 4471' };

describe(EncryptionCodec.name, () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips a payload, metadata included, leaving nothing of it in clear', async () => {
    const codec = new EncryptionCodec([k1]);
    const payload = defaultPayloadConverter.toPayload(secret);
    const [encrypted] = await codec.encode([payload]);
    expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.['encryption-key-id'])).toBe('k1');
    expect(text(encrypted.data)).not.toContain('Globex');
    expect(text(encrypted.data)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
    expect(text(decoded.metadata?.encoding)).toBe('json/plain');
  });

  it('encrypts the same payload differently each time (a random IV per payload)', async () => {
    const codec = new EncryptionCodec([k1]);
    const payload = defaultPayloadConverter.toPayload(secret);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('encrypts with the first key and decrypts with any: a payload of a rotated-out key still reads', async () => {
    const before = new EncryptionCodec([k1]);
    const after = new EncryptionCodec([k2, k1]);
    const [old] = await before.encode([defaultPayloadConverter.toPayload(secret)]);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(secret)]);
    expect(text(fresh.metadata?.['encryption-key-id'])).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, secret]);
  });

  it('passes through a payload it did not encrypt (recorded histories, runs started before the keys)', async () => {
    const codec = new EncryptionCodec([k1]);
    const plain = defaultPayloadConverter.toPayload(secret);
    const nothing: Payload = { metadata: { encoding: Buffer.from('binary/null') } };
    expect(await codec.decode([plain, nothing])).toEqual([plain, nothing]);
  });

  it('refuses an altered ciphertext, and a payload relabelled with another key id', async () => {
    const codec = new EncryptionCodec([k1, k2]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const data = Buffer.from(encrypted.data!);
    for (const at of [0, 12, data.length - 20, data.length - 1]) {
      const altered = Buffer.from(data);
      altered[at] ^= 1;
      await expect(codec.decode([{ ...encrypted, data: altered }])).rejects.toThrow(/key "k1" fails authentication/);
    }
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 20) }])).rejects.toThrow(PayloadDecryptionError);
    const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key "k2" fails authentication/);
  });

  it('names the unknown key id of a payload it cannot decrypt, and says to keep the key', async () => {
    const [encrypted] = await new EncryptionCodec([key('k0')]).encode([defaultPayloadConverter.toPayload(secret)]);
    const codec = new EncryptionCodec([k1]);
    await expect(codec.decode([encrypted])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([encrypted])).rejects.toThrow(/encrypted with key "k0", which RELANCE_PAYLOAD_KEYS does not hold/);
    const anonymous = { ...encrypted, metadata: { encoding: encrypted.metadata!.encoding } };
    await expect(codec.decode([anonymous])).rejects.toThrow(/names no key/);
  });

  it('with the encoded-failures converter, encrypts a failure\'s message and stack trace', async () => {
    const codec = new EncryptionCodec([k1]);
    const failure = failureConverter.errorToFailure(new Error(`invoice ${secret.invoiceNumber} of ${secret.customer}`), defaultPayloadConverter);
    const encoded = await encodeFailure([codec], failure);
    expect(JSON.stringify(encoded, (_k, v) => (v instanceof Uint8Array ? text(v) : v))).not.toContain(secret.invoiceNumber);
    expect(encoded.message).toBe('Encoded failure');
    const decoded = await decodeFailure([codec], encoded);
    const error = new DefaultFailureConverter().failureToError(decoded, defaultPayloadConverter);
    expect(error.message).toBe(`invoice ${secret.invoiceNumber} of ${secret.customer}`);
  });
});
