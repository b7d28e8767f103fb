// The render layer's one public surface: what the rest of the station (services, station wiring)
// imports from render/. Everything here is pure (template + inputs + fonts in, PDF bytes out);
// render/ never prints. Files inside render/ import each other directly.
export { renderDocument, type DocumentInput } from './render-document.js';
export { RenderError } from './render-form.js';
export { warmUpEngine, type RenderedPdf } from './pdf-engine.js';
export { checkOverprint, type Prescriber } from './render-overprint.js';
export { renderLabels, type RenderLabelsInput } from './labels.js';
export { FormCache } from './form-cache.js';
export { RenderPool, type LabelRenderer } from './render-pool.js';
export { renderReadinessSheet, type ReadinessData } from './readiness-sheet.js';
export { renderTestPage } from './test-page.js';
export { formFitProblems } from './fit-check.js';
export { renderZpl, zplLabelGeometry } from './zpl.js';
export { labelGeometry, layoutForSymbology } from './label-geometry.js';
export { barcodeModules } from './barcode-modules.js';
