import { describe, expect, it } from "vitest";
import { browserLabel } from "./browser-label.js";

describe("browser labels", () => {
  it.each([
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
      "Chrome · Linux",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36 Edg/150.0",
      "Edge · Windows",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
      "Safari · macOS",
    ],
    ["Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", "Firefox · Android"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 CriOS/126.0 Mobile Safari/604.1",
      "Chrome · iOS",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36",
      "Chrome · Linux",
    ],
    ["curl/8.5.0", "curl"],
  ])("%s → %s", (ua, label) => {
    expect(browserLabel(ua)).toBe(label);
  });

  it("shows nothing of a header it does not recognise", () => {
    expect(browserLabel("\u001b]0;owned\u0007 <script>alert(1)</script>")).toBeNull();
    expect(browserLabel(null)).toBeNull();
    expect(browserLabel("")).toBeNull();
  });
});
