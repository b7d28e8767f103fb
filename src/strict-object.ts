// The config files' objects: a zod object that refuses keys it does not know, naming the key and,
// when one of its own keys is close, the key that was probably meant. A misspelt `admin.pinhash`
// was once dropped silently and left the station on "choose the PIN at first use"; every object
// of station.json (config.ts, admin-config.ts, schedule-config.ts) is built with this.
import { z } from 'zod';

/** Edit distance (insert, delete, replace, swap of neighbours) between two keys, case-insensitive. */
function keyDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The known key an unknown one was probably meant as: the same letters in another case, or at most
 * two edits away (one for short keys, so "id" does not suggest "to"). Undefined when none is close.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = keyDistance(key, k);
    const limit = Math.min(2, Math.floor(Math.max(key.length, k.length) / 3));
    if (d <= limit && (!best || d < best.d)) best = { key: k, d };
  }
  return best?.key;
}

/** "“pinhash” is not a known key – did you mean “pinHash”?" (or the keys that are known). */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = closestKey(key, known);
  return near ? `unknown key "${key}" – did you mean "${near}"?` : `unknown key "${key}" (known keys: ${known.join(', ')})`;
}

/** z.strictObject whose refusal of an unknown key says which key and what was probably meant. */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? iss.keys.map((k) => unknownKeyMessage(k, known)).join('; ') : undefined),
  });
}
