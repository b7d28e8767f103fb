// The patient-ID page's own script (static/patient-labels.js), read once at start-up and linked
// with a content hash, like the other pages' static files.
import { loadAsset, type StaticAsset } from './layout.js';

export const patientAssets: Readonly<Record<'patient-labels.js', StaticAsset>> = {
  'patient-labels.js': loadAsset('patient-labels.js', 'text/javascript; charset=utf-8'),
};

export const patientAssetUrl = (name: keyof typeof patientAssets): string => `/static/${name}?v=${patientAssets[name].version}`;
