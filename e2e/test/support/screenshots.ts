import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** Screenshots land here, one per page, language and width, for people to look at. */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../artifacts/screenshots/", import.meta.url));

/** Saves a full-page screenshot as `<name>.png` in the artifacts folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}
