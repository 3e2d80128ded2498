import { ClaudemeshError, type ResolvedCredential, resolveCredential } from "@claudemesh/sdk";
import type { CliContext } from "./context.js";

/** Where the token in use came from, as people read it. */
export function describeSource(credential: ResolvedCredential, ctx: CliContext): string {
  switch (credential.source) {
    case "flag":
      return "--token";
    case "env":
      return "CLAUDEMESH_TOKEN";
    case "keychain":
      return "the OS keychain";
    case "file":
      return ctx.store().file.path;
  }
}

/** The credential this command runs with (`--token` > CLAUDEMESH_TOKEN > store), or `auth_required`. */
export async function requireCredential(ctx: CliContext, flag?: string): Promise<ResolvedCredential> {
  const credential = await resolveCredential({ flag, envToken: ctx.env.token, store: ctx.store() });
  if (!credential) throw new ClaudemeshError("auth_required", `Not signed in to ${ctx.apiUrl()}.`);
  return credential;
}

/** An API client signed in with the credential this command runs with. */
export async function authenticatedApi(ctx: CliContext, flag?: string) {
  const credential = await requireCredential(ctx, flag);
  return { api: await ctx.api(credential.token), credential };
}
