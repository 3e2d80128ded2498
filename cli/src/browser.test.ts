import { AuthorizationRequest, deviceInfo } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { planBrowserOpen } from "./browser.js";

const SERVER = "https://mesh.example.com";
const PLATFORMS = ["win32", "darwin", "linux", "freebsd"] as const;

/** What a hostile or intercepted server can put in `verification_url_complete`. */
const HOSTILE = [
  { url: "http://x/|calc.exe", reason: "other_site" },
  { url: `${SERVER}/cli-auth?code=x|calc.exe&y=^&z=<in>out`, reason: "malformed" }, // < and > are encoded by a browser
  { url: "file:///etc/passwd", reason: "not_web" },
  { url: "javascript:alert(document.cookie)", reason: "not_web" },
  { url: "https://mesh.example.com.evil.example/cli-auth?code=BCDF-GHJK", reason: "other_site" },
  { url: `${SERVER}/cli-auth?code=%PATH%`, reason: "malformed" },
  { url: `${SERVER}/cli-auth?code="%20&%20calc.exe%20"`, reason: "malformed" },
  { url: `${SERVER}/cli-auth?code=BCDF\n-GHJK`, reason: "malformed" },
  { url: `${SERVER}/cli-auth?code=\u001b]0;pwned\u0007`, reason: "malformed" },
] as const;

/** Each platform's opener, with the URL as its last argument and no shell in between. */
function expectedOpener(platform: (typeof PLATFORMS)[number], url: string) {
  if (platform === "win32") {
    return { command: "rundll32", args: ["url.dll,FileProtocolHandler", url], windowsVerbatimArguments: true };
  }
  return { command: platform === "darwin" ? "open" : "xdg-open", args: [url], windowsVerbatimArguments: false };
}

describe("planBrowserOpen", () => {
  describe.each(PLATFORMS)("on %s", (platform) => {
    it.each(HOSTILE)("refuses the device flow's $url ($reason)", ({ url, reason }) => {
      expect(planBrowserOpen(url, SERVER, platform)).toEqual({ kind: "refused", reason });
    });

    it("opens the server's approval page with the code as the opener's one URL argument", () => {
      const url = `${SERVER}/cli-auth?code=BCDF-GHJK`;
      expect(planBrowserOpen(url, SERVER, platform)).toEqual({ kind: "open", opener: expectedOpener(platform, url) });
    });

    it("opens the loopback flow's authorize page, & and all, as one argument", () => {
      const { url } = AuthorizationRequest.create({
        baseUrl: SERVER,
        redirectUri: "http://127.0.0.1:4711/callback",
        device: deviceInfo(),
      });
      expect(url).toContain("&");
      expect(planBrowserOpen(url, SERVER, platform)).toEqual({ kind: "open", opener: expectedOpener(platform, url) });
    });

    it("refuses a loopback flow page on another server than the one in use", () => {
      const { url } = AuthorizationRequest.create({
        baseUrl: "https://evil.example",
        redirectUri: "http://127.0.0.1:4711/callback",
        device: deviceInfo(),
      });
      expect(planBrowserOpen(url, SERVER, platform)).toEqual({ kind: "refused", reason: "other_site" });
    });
  });

  it("never starts cmd.exe on Windows, whatever the URL", () => {
    const plan = planBrowserOpen(`${SERVER}/cli-auth?code=a&b=c`, SERVER, "win32");
    expect(plan).toMatchObject({ kind: "open", opener: { command: "rundll32" } });
  });
});
