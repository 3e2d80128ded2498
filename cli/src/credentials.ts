import {
  type ClaudemeshError,
  type Connection,
  connect,
  isAuthError,
  type ResolvedCredential,
  requireCredential as requireSdkCredential,
  type TokenStoreKind,
} from "@claudemesh/sdk";
import type { CliContext } from "./context.js";
import { errorHint } from "./i18n/language.js";

/** Where the token in use came from, as people read it. */
export function describeSource(credential: ResolvedCredential, ctx: CliContext): string {
  switch (credential.source) {
    case "flag":
      return "--token";
    case "env":
      return "CLAUDEMESH_TOKEN";
    default:
      return describeStore(credential.source, ctx);
  }
}

/** Where a saved token is kept, as people read it: the OS keychain, or auth.json's path. */
export function describeStore(store: TokenStoreKind, ctx: CliContext): string {
  return store === "keychain" ? ctx.t.credentials.keychain : ctx.store().file.path;
}

/** The credential this command runs with (`--token` > CLAUDEMESH_TOKEN > store), or `auth_required`. */
export function requireCredential(ctx: CliContext, flag = ctx.tokenFlag): Promise<ResolvedCredential> {
  return requireSdkCredential({ flag, envToken: ctx.env.token, store: ctx.store(), apiUrl: ctx.apiUrl() });
}

/** The saved login alone, as a process started without `--token` or CLAUDEMESH_TOKEN finds it (launch's Claude Code). */
export function requireSavedCredential(ctx: CliContext): Promise<ResolvedCredential> {
  return requireSdkCredential({ store: ctx.store(), apiUrl: ctx.apiUrl() });
}

/** An API client signed in with the credential this command runs with. */
export function authenticatedApi(ctx: CliContext, flag = ctx.tokenFlag): Promise<Connection> {
  return connect({ flag, envToken: ctx.env.token, store: ctx.store(), api: ctx.api, apiUrl: ctx.apiUrl() });
}

/**
 * What to do about a refused credential. "Run `claudemesh login`" only helps
 * when the saved login was refused: a token from CLAUDEMESH_TOKEN or --token
 * wins over any new login, so the hint names where it came from instead.
 */
export function authFailureHint(error: ClaudemeshError, ctx: CliContext, argv: readonly string[]): string | undefined {
  const hint = errorHint(error.code, ctx.t);
  if (!isAuthError(error) || error.code === "auth_required") return hint;
  if (argv.some((arg) => arg === "--token" || arg.startsWith("--token="))) return ctx.t.credentials.flagRefused;
  if (ctx.env.token !== undefined) return ctx.t.credentials.envRefused;
  return hint;
}
