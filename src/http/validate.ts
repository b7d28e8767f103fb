// Request validation with zod: every input is parsed, and a failure is a 400 with the field and reason.
import type { Context } from 'hono';
import type { z } from 'zod';
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

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ServiceError('invalid', `Ogiltig förfrågan: ${formatIssues(r.error.issues).replace(/\n/g, '; ')}`, r.error.issues);
  return r.data;
}

/** Parses a form post (application/x-www-form-urlencoded or multipart). */
export async function formBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const body = await c.req.parseBody();
  return parseWith(schema, body);
}
