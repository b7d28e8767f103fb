// The label pages' own static files (static/labels.css, static/labels.js), read once at start-up
// and linked with a content hash, like the shared app.css and app.js.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StaticAsset } from './layout.js';

function load(file: string, type: string): StaticAsset {
  const body = readFileSync(new URL(`./static/${file}`, import.meta.url), 'utf8');
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

export const labelAssets: Readonly<Record<'labels.css' | 'labels.js', StaticAsset>> = {
  'labels.css': load('labels.css', 'text/css; charset=utf-8'),
  'labels.js': load('labels.js', 'text/javascript; charset=utf-8'),
};

export const labelAssetUrl = (name: keyof typeof labelAssets): string => `/static/${name}?v=${labelAssets[name].version}`;
