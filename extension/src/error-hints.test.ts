import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, ClaudemeshError, CredentialStore, ERROR_CODES } from "@claudemesh/sdk";
import { ErrorCode } from "@claudemesh/sdk/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands, l10nBundle, messages, resetFake } from "../test/fake-vscode.js";
import { registerCommands } from "./commands.js";
import { errorHint } from "./error-hints.js";
import { Identity } from "./identity.js";

const API_URL = "http://127.0.0.1:9";
const BUNDLE = fileURLToPath(new URL("../l10n/bundle.l10n.es.json", import.meta.url));

/** VS Code in Spanish: l10n.t reads the extension's Spanish bundle. */
async function speakSpanish(): Promise<void> {
  const translations = JSON.parse(await readFile(BUNDLE, "utf8")) as Record<string, string>;
  for (const [english, spanish] of Object.entries(translations)) l10nBundle.set(english, spanish);
}

const hinted = ErrorCode.options.filter((code) => ERROR_CODES[code].hint !== undefined);

let configDir = "";
let disposables: { dispose(): unknown }[] = [];
beforeEach(async () => {
  resetFake();
  configDir = await mkdtemp(join(tmpdir(), "claudemesh-hints-vscode-"));
  disposables = [];
});
afterEach(async () => {
  for (const item of disposables) item.dispose();
  await rm(configDir, { recursive: true, force: true });
});

describe("an error's hint in VS Code", () => {
  it("names the Command Palette's sign-in, not the CLI's `claudemesh login`", () => {
    const hint = errorHint(new ClaudemeshError("credential_mismatch", "x"));
    expect(hint).toBe("Run 'claudemesh: Sign In' from the Command Palette to sign in again.");
  });

  it("is there for every code the SDK suggests a step for, in English and in Spanish", async () => {
    const english = hinted.map((code) => errorHint(new ClaudemeshError(code, "x")));
    await speakSpanish();
    const spanish = hinted.map((code) => errorHint(new ClaudemeshError(code, "x")));
    for (const [i, code] of hinted.entries()) {
      expect(english[i], code).toMatch(/\S/);
      expect(english[i], code).not.toContain("claudemesh login");
      expect(spanish[i], code).toMatch(/\S/);
      expect(spanish[i], code).not.toBe(english[i]);
    }
    expect(errorHint(new ClaudemeshError("not_found", "x"))).toBeUndefined();
    expect(errorHint(new Error("disk full"))).toBeUndefined();
  });

  it("shows in Spanish under a failed command when VS Code speaks Spanish", async () => {
    await speakSpanish();
    const store = new CredentialStore({ apiUrl: API_URL, configDir, mode: "file" });
    const api = (token?: string) => ApiClient.create({ baseUrl: API_URL, token, retries: 0 });
    const identity = new Identity({ store, envToken: undefined, api });
    disposables.push(identity);
    const mismatch = new ClaudemeshError("credential_mismatch", "El llavero guarda el token de otra cuenta.");
    disposables.push(
      ...registerCommands({
        identity,
        api,
        apiUrl: () => API_URL,
        refreshTrees: () => {},
        signIn: () => Promise.reject(mismatch),
      }),
    );

    await commands.executeCommand("claudemesh.signIn");

    expect(messages).toEqual([
      {
        kind: "error",
        message:
          "claudemesh: El llavero guarda el token de otra cuenta. " +
          "Ejecuta «claudemesh: Iniciar sesión» desde la paleta de comandos para volver a iniciar sesión.",
        items: [],
      },
    ]);
    expect(messages[0]?.message).not.toMatch(/Run |Command Palette|sign in again|claudemesh login/);
  });
});
