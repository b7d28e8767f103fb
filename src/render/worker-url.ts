// Where a worker's code lies, for every worker render/ starts (the label render thread, the
// start-up fit-check process). Compiled (dist/, `npm start`): the worker's own .js. From source (tsx, vitest): a
// small .mjs bootstrap beside it that registers tsx first, since a worker does not always inherit
// the parent's TypeScript loader.
export function workerUrl(name: string): URL {
  const compiled = import.meta.url.endsWith('.js');
  return new URL(compiled ? `./${name}.js` : `./${name}.mjs`, import.meta.url);
}
