// Debian's Chromium driven by playwright-core for the browser tests: no browser download, the
// flags this machine needs (no sandbox as root, no background networking on a closed network), and
// every console error or warning and page error collected, so a test can assert there were none.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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
