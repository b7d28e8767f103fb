// The "admin" section of the station config: the PIN's hash (from `npm run set-pin`), lockout and
// session lengths.
import { z } from 'zod';
import { strictObject } from '../strict-object.js';

/** scrypt$<salt, 16 bytes hex>$<hash, 32 bytes hex> — what `npm run set-pin` prints. */
export const pinHashPattern = /^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/;

export const adminConfigSchema = strictObject({
  /** scrypt$<salt hex>$<hash hex>; set with `npm run set-pin`. Unset: the PIN is chosen at the station on first use. */
  pinHash: z.string().regex(pinHashPattern, 'must be what `npm run set-pin` prints: scrypt$<32 hex>$<64 hex>').optional(),
  /** Wrong PINs in a row before the lockout. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  lockoutMinutes: z.number().min(1).max(24 * 60).default(5),
  /** A session ends after this long without a request. */
  sessionIdleMinutes: z.number().min(1).max(24 * 60).default(30),
}).prefault({});

export type AdminConfig = z.infer<typeof adminConfigSchema>;
