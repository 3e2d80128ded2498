import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (scripts/system-packages.mjs installs it); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches the real Chromium, headless, as it runs in a container (no sandbox, no /dev/shm, no GPU). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}
