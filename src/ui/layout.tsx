// The page frame every touchscreen page shares (head, header with unit name and navigation), the
// helper that sends a page with its doctype, and the two static files the pages load. The strict
// CSP allows no inline script or style, so everything a page needs comes from /static/.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Child, FC } from 'hono/jsx';
import { clientWording } from '../domain/wording.js';

export interface StaticAsset {
  body: string;
  type: string;
  /** Short content hash: the ?v= of the link and the ETag. */
  version: string;
}

/** Reads a file of static/ once (at start-up), with a content hash for its links and ETag. */
export function loadAsset(file: string, type: string, prefix = ''): StaticAsset {
  const body = prefix + readFileSync(new URL(`./static/${file}`, import.meta.url), 'utf8');
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

/** Read once at start-up. The script gets the wording tables in front, so both sides say the same. */
export const staticAssets: Readonly<Record<'app.css' | 'app.js', StaticAsset>> = {
  'app.css': loadAsset('app.css', 'text/css; charset=utf-8'),
  'app.js': loadAsset('app.js', 'text/javascript; charset=utf-8', `var RESERVKIT_WORDING = ${JSON.stringify(clientWording())};\n`),
};

const assetUrl = (name: keyof typeof staticAssets) => `/static/${name}?v=${staticAssets[name].version}`;

export interface LayoutProps {
  title: string;
  unitName: string;
  /** Which navigation link is the current page. */
  current?: 'home' | 'documents' | 'printers' | 'admin';
  /** Reload every N seconds only when JavaScript is off (the live page updates itself otherwise). */
  noscriptRefreshSeconds?: number;
  children?: Child;
}

export const Layout: FC<LayoutProps> = (props) => (
  <html lang="sv">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      {/* No favicon request (it would 404 and log a console error on the kiosk). */}
      <link rel="icon" href="data:," />
      <title>{`${props.title} – ${props.unitName}`}</title>
      <link rel="stylesheet" href={assetUrl('app.css')} />
      {props.noscriptRefreshSeconds ? (
        <noscript>
          <meta http-equiv="refresh" content={String(props.noscriptRefreshSeconds)} />
        </noscript>
      ) : null}
      <script src={assetUrl('app.js')} defer></script>
    </head>
    <body>
      <header class="top">
        <a class="unit" href="/">
          {props.unitName}
        </a>
        <nav class="nav" aria-label="Huvudmeny">
          <a href="/" aria-current={props.current === 'home' ? 'page' : undefined}>
            Start
          </a>
          <a href="/dokument" aria-current={props.current === 'documents' ? 'page' : undefined}>
            Dokument
          </a>
          <a href="/printers" aria-current={props.current === 'printers' ? 'page' : undefined}>
            Skrivare
          </a>
          <a href="/admin" aria-current={props.current === 'admin' ? 'page' : undefined}>
            Administration
          </a>
        </nav>
      </header>
      <main id="main">{props.children}</main>
    </body>
  </html>
);

/** Sends a page with its doctype (c.html alone emits none). */
/**
 * Answers a static asset: linked as ?v=<hash>, that version never changes, so it is cached for
 * good; otherwise revalidated with its ETag.
 */
export function sendAsset(c: Context, asset: StaticAsset): Response {
  const etag = `"${asset.version}"`;
  c.header('Cache-Control', c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache');
  c.header('ETag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  return c.body(asset.body);
}

export async function sendPage(c: Context, page: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const html = await (page as { toString(): string | Promise<string> }).toString();
  return c.html(`<!doctype html>${html}`, status);
}
