import { type ClaudemeshError, isAuthError, type ResolvedCredential, resolveCredential } from "@claudemesh/sdk";
import type { CliContext } from "./context.js";
import { errorHint, LocalizedError } from "./i18n/language.js";

/** Where the token in use came from, as people read it. */
export function describeSource(credential: ResolvedCredential, ctx: CliContext): string {
  switch (credential.source) {
    case "flag":
      return "--token";
    case "env":
      return "CLAUDEMESH_TOKEN";
    case "keychain":
      return ctx.t.credentials.keychain;
    case "file":
      return ctx.store().file.path;
  }
}

/** The credential this command runs with (`--token` > CLAUDEMESH_TOKEN > store), or `auth_required`. */
export async function requireCredential(ctx: CliContext, flag = ctx.tokenFlag): Promise<ResolvedCredential> {
  const credential = await resolveCredential({ flag, envToken: ctx.env.token, store: ctx.store() });
  if (!credential) throw new LocalizedError("auth_required", ctx.t.credentials.notSignedIn(ctx.apiUrl()));
  return credential;
}

/** An API client signed in with the credential this command runs with. */
export async function authenticatedApi(ctx: CliContext, flag = ctx.tokenFlag) {
  const credential = await requireCredential(ctx, flag);
  return { api: await ctx.api(credential.token), credential };
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
