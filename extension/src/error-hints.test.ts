import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, ClaudemeshError, CredentialStore, ERROR_CODES, type ErrorDetail } from "@claudemesh/sdk";
import { ErrorCode } from "@claudemesh/sdk/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands, l10nBundle, messages, resetFake } from "../test/fake-vscode.js";
import { registerCommands } from "./commands.js";
import { errorHint, errorMessage } from "./error-hints.js";
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

/** Registers the extension's commands with a sign-in that fails with `error`, and runs "Sign In". */
async function signInFailingWith(error: Error): Promise<void> {
  const store = new CredentialStore({ apiUrl: API_URL, configDir, mode: "file" });
  const api = (token?: string) => ApiClient.create({ baseUrl: API_URL, token, retries: 0 });
  const identity = new Identity({ store, envToken: undefined, api });
  disposables.push(identity);
  disposables.push(
    ...registerCommands({
      identity,
      api,
      apiUrl: () => API_URL,
      refreshTrees: () => {},
      signIn: () => Promise.reject(error),
    }),
  );
  await commands.executeCommand("claudemesh.signIn");
}

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
    await signInFailingWith(new ClaudemeshError("credential_mismatch", "El llavero guarda el token de otra cuenta."));

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

// One of each kind of SDK detail: the SDK's errors are data, worded by the editor as by the CLI.
const DETAILS: ErrorDetail[] = [
  { kind: "unreachable", origin: API_URL, reason: "ECONNREFUSED" },
  { kind: "no_answer_in_time", origin: API_URL },
  { kind: "tls_rejected", origin: API_URL, reason: "SELF_SIGNED_CERT_IN_CHAIN" },
  { kind: "keychain_module_missing" },
  { kind: "keychain_module_failed", reason: "libsecret" },
  { kind: "keychain_refused", operation: "read", reason: "locked" },
  { kind: "no_secret_service", operation: "write" },
  { kind: "no_session_bus", operation: "read" },
  { kind: "keychain_timed_out", operation: "delete", ms: 1000 },
  { kind: "keychain_turned_off" },
  { kind: "keychain_entry_unpaired", server: API_URL },
  { kind: "keychain_entry_missing", server: API_URL },
  { kind: "keychain_entry_foreign", server: API_URL },
  { kind: "auth_file_without_token", path: "/h/.claudemesh/auth.json" },
  { kind: "file_not_json", path: "/h/.claudemesh/auth.json" },
  { kind: "file_invalid", path: "/h/.claudemesh/auth.json", field: "servers.x", problem: "Invalid input" },
  { kind: "file_is_link", path: "/h/.claudemesh/auth.json" },
  { kind: "file_not_regular", path: "/h/.claudemesh/auth.json" },
  { kind: "file_of_other_user", path: "/h/.claudemesh/auth.json", uid: 1001 },
  { kind: "file_unreadable", path: "/h/.claudemesh/auth.json", reason: "EACCES" },
  { kind: "folder_not_private", path: "/h/.claudemesh", mode: 0o755 },
  { kind: "file_write_refused", path: "/h/.claudemesh/auth.json", field: "user", problem: "Required" },
  { kind: "file_locked", path: "/h/.claudemesh/auth.json", lockPath: "/h/.claudemesh/auth.json.lock", pid: 42 },
];

describe("an SDK error's words in VS Code", () => {
  it("words every kind of detail, in Spanish when VS Code speaks Spanish, never in the SDK's English", async () => {
    const errors = DETAILS.map((detail) => ClaudemeshError.of("keychain_unavailable", detail));
    const english = errors.map(errorMessage);
    await speakSpanish();
    const spanish = errors.map(errorMessage);
    for (const [i, error] of errors.entries()) {
      const kind = DETAILS[i]?.kind;
      expect(english[i], kind).toMatch(/\S/);
      expect(spanish[i], kind).not.toBe(english[i]);
      expect(spanish[i], kind).not.toBe(error.message);
    }
    expect(spanish[0]).toBe(`No se puede conectar con ${API_URL} (ECONNREFUSED).`);
  });

  it("shows a network failure in Spanish under a failed command", async () => {
    await speakSpanish();
    await signInFailingWith(
      ClaudemeshError.of("network", { kind: "unreachable", origin: API_URL, reason: "ECONNREFUSED" }),
    );

    expect(messages[0]?.message).toBe(
      `claudemesh: No se puede conectar con ${API_URL} (ECONNREFUSED). ` +
        "Comprueba tu conexión y la opción claudemesh.apiUrl, y vuelve a intentarlo.",
    );
  });

  it("keeps a server's own words, which carry no detail", () => {
    expect(errorMessage(new ClaudemeshError("not_found", "No such mesh."))).toBe("No such mesh.");
  });
});
