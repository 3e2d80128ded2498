// A server that is not ours sends the approval page to open. The extension hands
// VS Code's openExternal only a page of the server in use; anything else is shown,
// escaped, with a Copy Link button, and never opened.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ApiClient, deviceInfo } from "@claudemesh/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answers, clipboardText, l10nBundle, messages, openedUrls, resetFake } from "../test/fake-vscode.js";
import { DeviceCodeFlow, openServerPage } from "./flows.js";
import { silentLog } from "./output-log.js";

const SERVER = "https://mesh.example.com";
const BUNDLE = fileURLToPath(new URL("../l10n/bundle.l10n.es.json", import.meta.url));

beforeEach(() => resetFake());

describe("openServerPage", () => {
  it.each([
    { url: "http://x/|calc.exe", says: "leads away from https://mesh.example.com" },
    { url: "file:///etc/passwd", says: "is not a web page" },
    { url: "javascript:alert(document.cookie)", says: "is not a web page" },
    { url: "vscode://ms-vscode.some-extension/run?evil", says: "is not a web page" },
    { url: "https://evil.example/cli-auth?code=BCDF-GHJK", says: "leads away from" },
    { url: `${SERVER}/cli-auth?code=%PATH%`, says: "not written as a web address" },
    { url: `${SERVER}/cli-auth?code="&calc.exe"`, says: "not written as a web address" },
  ])("opens nothing for $url, and shows it for the person to judge", async ({ url, says }) => {
    answers.message = (_message, items) => items[0]; // Copy Link
    expect(await openServerPage(url, SERVER)).toBe(false);
    expect(openedUrls).toEqual([]);
    expect(messages).toEqual([
      {
        kind: "warning",
        message: expect.stringContaining(says),
        items: ["Copy Link"],
      },
    ]);
    expect(messages[0]?.message).toContain(`Open it yourself only if you trust it: ${url}`);
    expect(clipboardText.value).toBe(url);
  });

  it("shows escape codes and line breaks written out, never live", async () => {
    const url = "https://evil.example/\u001b]0;pwned\u0007\r\n\u202e";
    expect(await openServerPage(url, SERVER)).toBe(false);
    const message = messages[0]?.message ?? "";
    expect(message).toContain("https://evil.example/\\u001b]0;pwned\\u0007\\r\\n\\u202e");
    for (const live of ["\u001b", "\u0007", "\r", "\n", "\u202e"]) expect(message).not.toContain(live);
  });

  it("says so in Spanish", async () => {
    const translations = JSON.parse(await readFile(BUNDLE, "utf8")) as Record<string, string>;
    for (const [english, spanish] of Object.entries(translations)) l10nBundle.set(english, spanish);
    await openServerPage("http://x/|calc.exe", SERVER);
    expect(messages[0]?.message).toBe(
      "No se abre el navegador. El enlace lleva fuera de https://mesh.example.com. Ábrelo tú solo si confías en él: http://x/|calc.exe",
    );
    expect(messages[0]?.items).toEqual(["Copiar enlace"]);
  });

  it("opens a page of the server in use, exactly as given", async () => {
    const url = `${SERVER}/cli-auth/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcallback&state=a`;
    expect(await openServerPage(url, `${SERVER}/`)).toBe(true);
    expect(openedUrls).toEqual([url]);
    expect(messages).toEqual([]);
  });
});

describe("the device code flow against a hostile server", () => {
  let server: Server;
  let apiUrl = "";
  let approvalPage = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer =
        req.method === "POST"
          ? {
              device_code: "d".repeat(43),
              user_code: "BCDF-GHJK",
              expires_at: "2099-01-01T00:00:00.000Z",
              verification_url: `${apiUrl}/cli-auth`,
              verification_url_complete: approvalPage,
              interval: 0.1,
            }
          : { status: "denied" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(["http://x/|calc.exe", "file:///etc/passwd", "javascript:alert(1)"])(
    "clicking Open Browser opens nothing for %s",
    async (page) => {
      approvalPage = page;
      const refused = new Promise<void>((resolve) => {
        answers.message = (_message, items) => {
          if (items.includes("Open Browser")) return "Open Browser";
          resolve(); // the refusal's Copy Link, left unclicked
          return undefined;
        };
      });
      const api = await ApiClient.create({ baseUrl: apiUrl });
      const flow = new DeviceCodeFlow({ api, device: deviceInfo(), log: silentLog });
      await expect(flow.run()).rejects.toMatchObject({ code: "access_denied" });
      await refused;
      expect(openedUrls).toEqual([]);
      expect(messages.map((shown) => shown.kind)).toEqual(["info", "warning"]);
      expect(messages[1]?.message).toContain(page);
    },
  );
});
