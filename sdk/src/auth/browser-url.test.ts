import { describe, expect, it } from "vitest";
import { checkBrowserUrl } from "./browser-url.js";

const SERVER = "https://mesh.example.com:8443";

describe("checkBrowserUrl", () => {
  it.each([
    `${SERVER}/cli-auth?code=BCDF-GHJK`,
    `${SERVER}/cli-auth/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcallback&state=abc`,
    `${SERVER}/register?next=%2Fcli-auth%3Fcode%3DBCDF-GHJK`,
  ])("opens a page of the server in use: %s", (url) => {
    expect(checkBrowserUrl(url, SERVER)).toEqual({ ok: true, url });
  });

  it("takes the server's origin from a base URL with a path", () => {
    expect(checkBrowserUrl(`${SERVER}/cli-auth`, `${SERVER}/api/`)).toMatchObject({ ok: true });
  });

  it.each([
    { url: "file:///etc/passwd", reason: "not_web" },
    { url: "javascript:alert(1)", reason: "not_web" },
    { url: "ms-settings:windowsupdate", reason: "not_web" },
    { url: "vscode://claudemesh.claudemesh/did-authenticate", reason: "not_web" },
    { url: "http://x/|calc.exe", reason: "other_site" },
    { url: "https://mesh.example.com/cli-auth", reason: "other_site" }, // another port
    { url: "http://mesh.example.com:8443/cli-auth", reason: "other_site" }, // another scheme
    { url: "https://mesh.example.com:8443@evil.example/cli-auth", reason: "other_site" },
    { url: `https://ada:secret@mesh.example.com:8443/cli-auth`, reason: "other_site" },
    { url: `${SERVER}/cli-auth?code=%PATH%`, reason: "malformed" },
    { url: `${SERVER}/cli-auth?code="&calc.exe`, reason: "malformed" },
    { url: `${SERVER}/cli-auth?code=a b`, reason: "malformed" },
    { url: `${SERVER}/cli-auth\n?code=x`, reason: "malformed" },
    { url: `${SERVER}/cli-auth?code=\u001b]0;pwned\u0007`, reason: "malformed" },
    { url: `${SERVER}\\cli-auth`, reason: "malformed" },
    { url: "HTTPS://MESH.EXAMPLE.COM:8443/cli-auth", reason: "malformed" },
    { url: "not a url", reason: "malformed" },
  ])("refuses $url ($reason)", ({ url, reason }) => {
    expect(checkBrowserUrl(url, SERVER)).toEqual({ ok: false, reason });
  });
});
