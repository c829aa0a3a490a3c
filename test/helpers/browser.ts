// Headless Chromium for end-to-end tests, driven by playwright-core with the system's chromium
// (Debian's package; no browser download). One browser per test file, a fresh context (cookies,
// storage) per test; uncaught page errors fail the test; screenshots (of the main pages, and of
// the page as a test failed) go to an output directory outside git.

import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

/** Where screenshots land: under dist/ (compiled tests run from dist/test/helpers), not in git. */
export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/console-screenshots');

/** Playwright's own per-action timeout: short enough that a missing element fails before jest's test timeout. */
const ACTION_TIMEOUT_MS = 10_000;

/** The chromium binary: $CHROMIUM when set, else the first `chromium` on the PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error('chromium is not installed (Debian: apt-get install chromium; `make test` installs it as root)');
}

export function launchBrowser(): Promise<Browser> {
  // No sandbox: tests may run as root or in a container, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

export interface BrowserSession {
  /** jest's test(), given the test's page (a fresh context per test); saves a screenshot named failed-<test name> when it fails. */
  test(name: string, fn: (page: Page) => Promise<void>, timeoutMs?: number): void;
}

/**
 * Registers jest hooks: a browser for the file, a context and page per test, all closed afterwards.
 * An uncaught exception in the page fails the test that caused it. Declare the tests with the
 * returned session's test().
 */
export function useBrowser(viewport = { width: 1280, height: 800 }): BrowserSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  beforeEach(async () => {
    context = await browser!.newContext({ viewport });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
  });
  afterEach(async () => {
    const errors = pageErrors;
    await context?.close();
    context = undefined;
    page = undefined;
    if (errors.length > 0) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
  });

  return {
    test(name, fn, timeoutMs) {
      test(
        name,
        async () => {
          const current = page!;
          try {
            await fn(current);
          } catch (e) {
            await screenshot(current, `failed-${name.replace(/[^\w-]+/g, '-').slice(0, 80)}`).catch(() => undefined);
            throw e;
          }
        },
        timeoutMs,
      );
    },
  };
}

/** Saves a full-page PNG as SCREENSHOT_DIR/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
