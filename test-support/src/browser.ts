import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.js";

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
    browser = await launchChromium();
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

/** True when the page fits its viewport's width (nothing to scroll sideways). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
