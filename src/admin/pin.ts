// The admin PIN's hash: scrypt from node:crypto, stored as "scrypt$<salt hex>$<hash hex>" (16-byte
// salt, 32-byte key, N=2^14, r=8, p=1), compared in constant time. Plus the rules a new PIN must
// meet. `npm run set-pin` (scripts/set-pin.ts) prints a hash for the config file.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { pinHashPattern } from './admin-config.js';

const KEY_LENGTH = 32;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin.normalize('NFKC'), salt, KEY_LENGTH, PARAMS, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPin(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await derive(pin, salt);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/** True when `pin` matches the stored hash. A malformed hash never matches. Constant-time compare. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  if (!pinHashPattern.test(stored)) return false;
  const [, saltHex, keyHex] = stored.split('$') as [string, string, string];
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await derive(pin, Buffer.from(saltHex, 'hex'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Why a new PIN is not acceptable (Swedish), or undefined when it is. */
export function pinProblem(pin: string): string | undefined {
  if (!/^\d+$/.test(pin)) return 'PIN-koden får bara innehålla siffror.';
  if (pin.length < 6) return 'PIN-koden måste ha minst 6 siffror.';
  if (pin.length > 12) return 'PIN-koden får ha högst 12 siffror.';
  if (/^(\d)\1+$/.test(pin)) return 'PIN-koden får inte bestå av en och samma siffra.';
  const digits = [...pin].map(Number);
  const step = digits[1]! - digits[0]!;
  if (Math.abs(step) === 1 && digits.every((d, i) => i === 0 || d - digits[i - 1]! === step)) return 'PIN-koden får inte vara en talföljd som 123456.';
  return undefined;
}
