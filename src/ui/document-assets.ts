// The documents pages' own static files (static/documents.css, static/documents.js), read once at
// start-up and linked with a content hash, like the shared app.css and app.js.
import { loadAsset, type StaticAsset } from './layout.js';

export const documentAssets: Readonly<Record<'documents.css' | 'documents.js', StaticAsset>> = {
  'documents.css': loadAsset('documents.css', 'text/css; charset=utf-8'),
  'documents.js': loadAsset('documents.js', 'text/javascript; charset=utf-8'),
};

export const documentAssetUrl = (name: keyof typeof documentAssets): string => `/static/${name}?v=${documentAssets[name].version}`;
