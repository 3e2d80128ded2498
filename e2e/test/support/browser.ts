import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** Debian's chromium (scripts/system-packages.mjs installs it); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots land here, one per page, language and width, for people to look at. */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../artifacts/screenshots/", import.meta.url));

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 812 };

export interface BrowserHandle {
  /** A fresh profile (no cookies) speaking `locale`, at `viewport`, optionally with JavaScript off. */
  context(
    locale: string,
    viewport?: { width: number; height: number },
    options?: { javaScriptEnabled?: boolean },
  ): Promise<BrowserContext>;
}

/** Launches one real Chromium for this file's tests. */
export function useBrowser(): BrowserHandle {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
  });
  return {
    async context(locale, viewport = DESKTOP, options = {}) {
      const context = await browser.newContext({ locale, viewport, ...options });
      contexts.push(context);
      return context;
    },
  };
}

/** Saves a full-page screenshot as `<name>.png` in the artifacts folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** True when the page fits its viewport's width (nothing to scroll sideways). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
