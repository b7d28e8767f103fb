// The render layer's one public surface: what the rest of the station (services, station wiring)
// imports from render/. Everything here is pure (template + inputs + fonts in, PDF bytes out);
// render/ never prints. Files inside render/ import each other directly.
export { renderDocument, type DocumentInput } from './render-document.js';
export { RenderError } from './form-blocks.js';
export { warmUpEngine, type RenderedPdf } from './pdf-engine.js';
export { checkOverprint, type Prescriber } from './render-overprint.js';
export { renderLabels, type RenderLabelsInput } from './labels.js';
export { FormCache } from './form-cache.js';
export { RenderPool, type LabelRenderer } from './render-pool.js';
export { renderReadinessSheet, type ReadinessData } from './readiness-sheet.js';
export { renderTestPage } from './test-page.js';
export { formFitProblems, renderFitProblemsInWorker } from './fit-check.js';
export { renderZpl } from './zpl.js';
// Label geometry is catalog data and the symbol's module pattern is domain (the catalog's start-up
// check needs both without loading a renderer); the label service reaches them through here.
export { zplLabelGeometry } from '../catalog/zpl-geometry.js';
export { labelGeometry, layoutForSymbology } from '../catalog/label-geometry.js';
export { barcodeModules } from '../domain/barcode-symbol.js';
