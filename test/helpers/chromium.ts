// Debian's Chromium driven by playwright-core for the browser tests: no browser download, the
// flags this machine needs (no sandbox as root, no background networking on a closed network), and
// every console error or warning and page error collected, so a test can assert there were none.
// Also the set-up the browser tests share: a station in-process with Chromium on it, screenshots,
// taps on the on-screen keypads, box measurements, axe-core and the 44 px target check.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { StationConfig } from '../../src/config.js';
import { createStation, type Station } from '../../src/station.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests are skipped only where Chromium is missing and this is not CI (CI installs it). */
export const noChromium = !existsSync(CHROMIUM) && !process.env.CI;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Starts Chromium with a profile in `profileDir`; console errors, warnings and page errors go to `problems`. */
export async function openChromium(
  profileDir: string,
  opts: { viewport: { width: number; height: number }; hasTouch?: boolean },
  problems: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: opts.viewport,
    ...(opts.hasTouch ? { hasTouch: true } : {}),
    args: FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page };
}

/** Types a PIN the way staff do: tap the field, then the on-screen keypad's digits (no keyboard). */
export async function tapPin(page: Page, formSelector: string, field: string, pin: string): Promise<void> {
  await settled(page);
  const form = page.locator(formSelector);
  await form.locator(`input[name="${field}"]`).click();
  for (const d of pin) await form.locator(`[data-keypad] [data-key="${d}"]`).click();
}

/** The page swallows taps within 600 ms of a navigation (ghost taps): wait that out, as a person does. */
export function settled(page: Page): Promise<void> {
  return page.waitForTimeout(650);
}

/** A click once the ghost-tap window after a navigation has passed. */
export async function clickSettled(page: Page, selector: string): Promise<void> {
  await settled(page);
  await page.click(selector);
}

// ---- the set-up every browser test shares -------------------------------------------------------

export const SMALL = { width: 800, height: 480 } as const;
export const LARGE = { width: 1280, height: 800 } as const;

export interface BrowserStation {
  station: Station;
  base: string;
  context: BrowserContext;
  page: Page;
  /** Console errors/warnings and page errors seen so far. */
  problems: string[];
  /** Where screenshots go: RESERVKIT_SCREENSHOT_DIR, or a temp folder removed by close(). */
  shots: string;
  tmp: string;
  /** A PNG of the page named `name-WxH.png` in `shots`. */
  shoot(name: string, fullPage?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * A station in-process (config built by `makeConfig` from a fresh temp folder) with its printers
 * checked once, and Chromium (touch) on it at `viewport`. `close()` stops both and removes the
 * temp folder unless screenshots were asked to stay.
 */
export async function openStationBrowser(opts: {
  prefix: string;
  makeConfig: (tmp: string) => StationConfig;
  viewport?: { width: number; height: number };
  hasTouch?: boolean;
  deps?: Omit<Parameters<typeof createStation>[1], 'log'>;
}): Promise<BrowserStation> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  const shots = process.env.RESERVKIT_SCREENSHOT_DIR ?? path.join(tmp, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const config = opts.makeConfig(tmp);
  const station = await createStation(config, { ...opts.deps, log: () => {} });
  await Promise.all(config.printers.map((p) => station.monitor.refresh(p.id)));
  const base = `http://127.0.0.1:${await station.listen()}`;
  const problems: string[] = [];
  const { context, page } = await openChromium(path.join(tmp, 'profile'), { viewport: opts.viewport ?? SMALL, hasTouch: opts.hasTouch ?? true }, problems);
  return {
    station,
    base,
    context,
    page,
    problems,
    shots,
    tmp,
    async shoot(name, fullPage = false) {
      const vp = page.viewportSize()!;
      await page.screenshot({ path: path.join(shots, `${name}-${vp.width}x${vp.height}.png`), fullPage });
    },
    async close() {
      await context.close();
      await station.stop();
      if (!process.env.RESERVKIT_SCREENSHOT_DIR) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Goes to a page and waits out the ghost-tap window, as a person looks before tapping. */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await settled(page);
}

/** Taps letters on an initials field's on-screen keypad (opened by tapping the field), then "Klar". */
export async function tapInitials(page: Page, scope: string, letters: string): Promise<void> {
  await tapLetters(page, `${scope} [data-letter-field]`, letters);
}

/**
 * Types `text` on a letter field's on-screen keypad, taps only: the field (`box`, a selector of its
 * data-letter-field box) opens the keypad, each character is its key (space included), then "Klar".
 */
export async function tapLetters(page: Page, box: string, text: string): Promise<void> {
  const field = page.locator(box);
  await field.locator('input').tap();
  for (const c of text) await field.locator(`[data-letter-keypad] [data-key="${c}"]`).tap();
  await field.locator('[data-letter-done]').tap();
}

/** The data-letter-field box of the text field named `name` (for tapLetters). */
export const letterBox = (scope: string, name: string): string => `${scope} [data-letter-field]:has(input[name="${name}"])`;

/** The box of the first element matching `selector` (fails the test when it is not shown). */
export async function boxOf(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not shown`);
  return b;
}

/** Whether two boxes share any area. */
export const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious violations on the page as it is now ("id (impact): targets"). */
export async function axeSerious(page: Page): Promise<string[]> {
  await page.evaluate(AXE); // (evaluate, not a script tag: the strict CSP allows no inline script)
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run({
      resultTypes: ['violations'],
    });
    return r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}

/** Every shown tap target (links, buttons, fields; a radio's or checkbox's label) under 44 × 44 px. */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const els = document.querySelectorAll('a[href], button, select, summary, input:not([type=hidden]), textarea');
    for (const el of Array.from(els)) {
      const target = el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown (hidden, closed <details>)
      if (r.width < 44 || r.height < 44) out.push(`${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}
