import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';

/**
 * AES-256-GCM encryption of clinical free text at rest. Each value has its own
 * random 96-bit IV; the GCM tag makes any tampering fail loudly on decryption.
 */
export class FieldCipher {
  readonly #key: Buffer;
  /** A key of its own for pseudonyms, derived from the data key (HKDF), so neither reveals the other. */
  readonly #pseudonymKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The data key must be 32 bytes (base64 of 32 random bytes).');
    this.#key = key;
    this.#pseudonymKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ohwb pseudonyms v1', 32));
  }

  /**
   * A stable pseudonym for `value` within `context` (e.g. a person within a report's scope):
   * HMAC-SHA-256 under a key derived from the data key, so the same person has the same
   * pseudonym in every extract of that scope, different pseudonyms in different scopes, and
   * no one without the key can reverse or re-create it.
   */
  pseudonym(context: string, value: string): string {
    const mac = createHmac('sha256', this.#pseudonymKey).update(`${context}\u0000${value}`).digest('hex');
    return `P${mac.slice(0, 20).toUpperCase()}`;
  }

  /** Encrypts text to `v1:<base64 iv|tag|ciphertext>`. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Decrypts a value made by `encrypt`. */
  decrypt(stored: string): string {
    const [version, payload] = stored.split(':', 2);
    if (version !== VERSION || payload === undefined) throw new Error('Unknown encrypted field format.');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/**
 * The key from OHWB_DATA_KEY, or a key file in the data folder, created on first
 * start (readable by the owner only). An in-memory database gets a throwaway key.
 */
export function loadFieldCipher(dataKey: string | null, dataDir: string): FieldCipher {
  if (dataKey) return new FieldCipher(Buffer.from(dataKey, 'base64'));
  if (dataDir.startsWith('memory://')) return new FieldCipher(randomBytes(32));
  const file = path.join(dataDir, 'data.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new FieldCipher(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
