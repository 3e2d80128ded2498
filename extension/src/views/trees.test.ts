import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { CliSession, TokenSummary } from "@claudemesh/sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { l10nBundle, resetFake } from "../../test/fake-vscode.js";
import { sessionRow, tokenRow } from "./trees.js";

const BUNDLE = fileURLToPath(new URL("../../l10n/bundle.l10n.es.json", import.meta.url));

const session = (overrides: Partial<CliSession> = {}): CliSession => ({
  id: "sess-1",
  device_name: "ada-laptop",
  device_os: "linux",
  device_arch: "x64",
  ip_address: "203.0.113.7",
  created_at: "2026-05-01T09:00:00.000Z",
  last_used_at: null,
  expires_at: null,
  current: false,
  ...overrides,
});

beforeEach(() => resetFake());

describe("CLI Sessions rows", () => {
  it("show the address the session signed in from beside the device it claims", () => {
    const item = sessionRow(session()).treeItem();
    expect(item.label).toBe("ada-laptop · linux · x64");
    expect(item.description).toMatch(/^from 203\.0\.113\.7 · last used /);
    expect(item.tooltip).toBe("sess-1 · from 203.0.113.7");
  });

  it("mark this window's own session, address and all", () => {
    expect(sessionRow(session({ current: true })).treeItem().description).toMatch(
      /^from 203\.0\.113\.7 · this window · last used /,
    );
  });

  it("say nothing of an address the server did not record", () => {
    const item = sessionRow(session({ ip_address: null })).treeItem();
    expect(item.description).toMatch(/^last used /);
    expect(item.tooltip).toBe("sess-1");
  });

  it("in Spanish", async () => {
    const translations = JSON.parse(await readFile(BUNDLE, "utf8")) as Record<string, string>;
    for (const [english, spanish] of Object.entries(translations)) l10nBundle.set(english, spanish);
    expect(sessionRow(session()).treeItem().description).toMatch(/^desde 203\.0\.113\.7 · último uso /);
  });
});

describe("Access Tokens rows", () => {
  const token = (overrides: Partial<TokenSummary> = {}): TokenSummary => ({
    id: "tok-1",
    name: "ci-deploy",
    created_at: "2026-05-01T09:00:00.000Z",
    last_used_at: null,
    expires_at: null,
    flow: "web",
    browser: "Chrome · Linux",
    ip_address: "203.0.113.7",
    ...overrides,
  });

  it("show the address a token was made from, and the browser in the tooltip", () => {
    const item = tokenRow(token()).treeItem();
    expect(item.label).toBe("ci-deploy");
    expect(item.description).toMatch(/^from 203\.0\.113\.7 · expires never · last used never$/);
    expect(item.tooltip).toBe("tok-1 · Chrome · Linux · from 203.0.113.7");
  });

  it("say nothing of an origin the server did not record", () => {
    const item = tokenRow(token({ browser: null, ip_address: null })).treeItem();
    expect(item.description).toMatch(/^expires never/);
    expect(item.tooltip).toBe("tok-1");
  });
});
