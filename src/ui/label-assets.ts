// The label pages' own static files (static/labels.css, static/labels.js), read once at start-up
// and linked with a content hash, like the shared app.css and app.js.
import { loadAsset, type StaticAsset } from './layout.js';

export const labelAssets: Readonly<Record<'labels.css' | 'labels.js', StaticAsset>> = {
  'labels.css': loadAsset('labels.css', 'text/css; charset=utf-8'),
  'labels.js': loadAsset('labels.js', 'text/javascript; charset=utf-8'),
};

export const labelAssetUrl = (name: keyof typeof labelAssets): string => `/static/${name}?v=${labelAssets[name].version}`;
