// Request validation with zod: every input is parsed, and a failure is a 400 with the field and reason.
import type { Context } from 'hono';
import { z } from 'zod';
import { formatIssues } from '../config.js';
import { ServiceError } from '../services/errors.js';

/** Parses an optional JSON body (an empty body counts as `{}`). */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    const type = c.req.header('content-type') ?? '';
    if (!type.includes('application/json')) throw new ServiceError('invalid', 'Innehållet måste vara JSON (Content-Type: application/json).');
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ServiceError('invalid', 'Ogiltig JSON i förfrågan.');
    }
  }
  return parseWith(schema, raw);
}

/**
 * Staff initials (optional everywhere; they go to the audit log and the batch): up to 10 letters,
 * digits, spaces, dots or hyphens. The one rule of every form and JSON body that takes them.
 */
export const initialsSchema = z
  .string()
  .trim()
  .max(10, 'Initialerna får vara högst 10 tecken.')
  .regex(/^[\p{L}\p{N} .-]*$/u, 'Initialerna får bara innehålla bokstäver och siffror.');

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ServiceError('invalid', `Ogiltig förfrågan: ${formatIssues(r.error.issues).replace(/\n/g, '; ')}`, r.error.issues);
  return r.data;
}

/**
 * A whole number in a JSON body: a JSON number, an integer from min to max. Never taken from a
 * string, a boolean or an array (`"3"`, `true`, `[3]`, `"0x10"` and `"1e1"` all once drew numbers).
 */
export function jsonInt(min: number, max: number) {
  return z
    .number({ error: 'ett heltal (ett JSON-tal, inte text)' })
    .int('ett heltal')
    .min(min, `minst ${min}`)
    .max(max, `högst ${max}`);
}

export interface TextIntMessages {
  /** Nothing was given (the field is missing or empty). */
  missing?: string;
  /** Something other than decimal digits was given. */
  notInt?: string;
  tooSmall?: string;
  tooBig?: string;
}

/**
 * A whole number typed into a form field or a query string: decimal digits only, from min to max.
 * No sign, spaces, decimals, "0x10" or "1e1" (Number() would read all of those), and a field
 * posted twice or a file is not a number either.
 */
export function textInt(min: number, max: number, m: TextIntMessages = {}) {
  return z
    .string({ error: m.missing ?? 'Ange ett heltal.' })
    .min(1, m.missing ?? 'Ange ett heltal.')
    .regex(/^[0-9]{1,9}$/, m.notInt ?? 'Ange ett heltal (bara siffror).')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, m.tooSmall ?? `Minst ${min}.`)
        .max(max, m.tooBig ?? `Högst ${max}.`),
    );
}
