// The documents pages' own static files (static/documents.css, static/documents.js), read once at
// start-up and linked with a content hash, like the shared app.css and app.js.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StaticAsset } from './layout.js';

function load(file: string, type: string): StaticAsset {
  const body = readFileSync(new URL(`./static/${file}`, import.meta.url), 'utf8');
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

export const documentAssets: Readonly<Record<'documents.css' | 'documents.js', StaticAsset>> = {
  'documents.css': load('documents.css', 'text/css; charset=utf-8'),
  'documents.js': load('documents.js', 'text/javascript; charset=utf-8'),
};

export const documentAssetUrl = (name: keyof typeof documentAssets): string => `/static/${name}?v=${documentAssets[name].version}`;
