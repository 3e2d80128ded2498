import { text } from "node:stream/consumers";
import {
  type ApiClient,
  ClaudemeshError,
  type CredentialSource,
  checkIdentity,
  DeviceFlow,
  keepLogin,
  type LoginResult,
  LoopbackFlow,
  type StoredCredential,
  signInWithToken,
} from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { reportSync, syncMeshes } from "../meshes.js";
import { continuePendingLogin, refuseMisusedPendingLogin, startPendingLogin } from "./login-no-wait.js";

export interface LoginOptions {
  token?: string;
  withToken?: boolean;
  web?: boolean;
  force?: boolean;
  browser?: boolean;
  /** The wizard's "Create an account": the browser opens on sign-up, which then leads to the code. */
  signUp?: boolean;
  /** The token was typed into a hidden prompt, so the `--with-token` tip does not apply. */
  tokenFromPrompt?: boolean;
  /** False with `--no-wait`: print the code and exit (`--continue` finishes); with `--continue`, check once. */
  wait?: boolean;
  /** `--continue`: finish the login `--no-wait` started. */
  continue?: boolean;
  /** With `--no-wait` or `--continue`: one JSON document on stdout. */
  json?: boolean;
}

/** `claudemesh login`: device code by default, `--web` for the browser callback, or a token. */
export function loginCommand(ctx: CliContext): Command {
  return new Command("login")
    .description("sign in (device code in the browser by default)")
    .option("--web", "sign in through a browser callback on this machine instead of a code")
    .option("--token <token>", "sign in with a personal access token (prefer --with-token)")
    .option("--with-token", "read the token from standard input")
    .option("--no-browser", "print the URL and code, but do not open a browser")
    .option("--force", "sign in again even if the saved credential still works")
    .option("--no-wait", "print the URL and code and exit; `login --continue` finishes (agents, CI)")
    .option("--continue", "finish the login --no-wait started (with --no-wait: check once, exit 75 while pending)")
    .option("--json", "with --no-wait or --continue: print JSON (never the device code or the token)")
    .action(returnsStatus((options: LoginOptions) => runLogin(options, ctx)));
}

export async function runLogin(options: LoginOptions, ctx: CliContext): Promise<number> {
  refuseMisusedPendingLogin(options);
  const continued = options.continue ? await continuePendingLogin(options, ctx) : undefined;
  if (typeof continued === "number") return continued;
  const { out } = ctx;
  const store = ctx.store();
  const previous = await previousCredential(ctx);
  // Passing a token says which credential to use: it replaces the saved one without --force.
  const tokenGiven = options.token !== undefined || options.withToken === true;

  if (previous?.alive && !options.force && !tokenGiven && !continued) {
    if (options.json) out.print(JSON.stringify({ status: "signed_in", api_url: ctx.apiUrl() }, null, 2));
    out.success(`Already signed in to ${ctx.apiUrl()} as ${previous.userName}.`);
    out.say(out.dim("Run `claudemesh login --force` to sign in again."));
    return 0;
  }
  // The replacing happens at `--continue`, which says so then.
  if (options.wait === false && !options.continue) return startPendingLogin(options, ctx);
  if (previous?.alive) out.say(`Replacing existing session for ${previous.userName}.`);
  else if (previous) out.warn("The saved credential no longer works; signing in again.");

  const method = tokenGiven ? "token" : options.web ? "browser" : "device-code";
  ctx.telemetry.record("cli.login.started", { method });
  let obtained: ObtainedLogin;
  try {
    obtained = continued
      ? { login: continued.login, source: "device-code", via: "" }
      : await obtainLogin(options, tokenGiven, ctx);
  } catch (error) {
    const code = error instanceof ClaudemeshError ? error.code : "unexpected";
    ctx.telemetry.record("cli.login.failed", { method, code });
    throw error;
  }
  ctx.telemetry.record("cli.login.succeeded", { method });
  const { login, source, via } = obtained;

  // Re-login replaces, and revokes what it replaced (a dead token needs no revoking).
  const kept = await keepLogin({
    store,
    api: ctx.api,
    login,
    source,
    replacing: previous?.alive ? previous.stored : null,
  });
  await continued?.forget();
  out.success(`Authenticated as ${login.user.name}${via}`);
  out.success(`Token saved to ${kept.saved.location}`);
  try {
    reportSync(ctx, await syncMeshes(ctx, await ctx.api(login.token)));
  } catch (error) {
    out.warn(`Signed in, but your meshes could not be synced (${(error as Error).message}); run \`claudemesh sync\`.`);
  }
  if (kept.replaced.outcome === "failed") {
    out.warn("The replaced session could not be revoked on the server; revoke it with `claudemesh sessions`.");
  }
  if (options.json) out.print(JSON.stringify({ status: "approved", user: login.user, api_url: ctx.apiUrl() }, null, 2));
  return 0;
}

interface PreviousCredential {
  stored: StoredCredential;
  alive: boolean;
  userName: string;
}

/** The saved credential and whether the server still takes it. */
async function previousCredential(ctx: CliContext): Promise<PreviousCredential | null> {
  const check = await checkIdentity({ store: ctx.store(), api: ctx.api });
  switch (check.kind) {
    case "signed_out":
      return null;
    case "unreadable":
      // A corrupt file or unreadable keychain is replaced by this login.
      if (check.error instanceof ClaudemeshError) return null;
      throw check.error;
    case "unreachable":
      throw check.error;
  }
  const { stored } = check.credential;
  if (!stored) return null; // only the store was asked, so this does not happen
  if (check.kind === "signed_in") return { stored, alive: true, userName: check.me.user.name };
  return { stored, alive: false, userName: stored.file.user.name };
}

async function browserLogin(options: LoginOptions, ctx: CliContext): Promise<LoginResult> {
  const { out } = ctx;
  const api: ApiClient = await ctx.api();
  // Taken before the code shows, so a Ctrl-C the moment it appears is already ours.
  const signal = ctx.signal;
  let spinner: ReturnType<typeof out.spinner> | undefined;
  try {
    out.say("");
    out.say(`  ${out.bold("██ claudemesh login")}`);
    out.say("");
    if (options.web) {
      return await new LoopbackFlow({
        api,
        openBrowser: async (url) => {
          const reason = options.browser === false ? "--no-browser" : await ctx.openBrowser(url);
          if (reason) out.say(`  Not opening a browser (${reason}). Open this URL on this machine:\n\n    ${url}\n`);
          else out.say(`  Opening browser for authentication…\n\n  If your browser didn't open, visit:\n    ${url}\n`);
          spinner = out.spinner("  Waiting for confirmation…");
        },
      }).run({ signal });
    }
    return await new DeviceFlow({ api, sleep: ctx.clock.sleep, now: ctx.clock.now }).run({
      signal,
      longPoll: ctx.env.longPoll,
      onEvent: (event) => {
        if (event.type === "code") {
          const url = options.signUp
            ? signUpUrl(event.code.verification_url_complete)
            : event.code.verification_url_complete;
          void (async () => {
            const reason = options.browser === false ? "--no-browser" : await ctx.openBrowser(url);
            out.say(reason ? `  Not opening a browser (${reason}).\n` : "  Opening browser for authentication…\n");
            out.say(`  ${reason ? "Visit" : "If your browser didn't open, visit"}:`);
            out.say(`    ${url}\n`);
            out.say("  Enter this code:");
            out.say(`    ${out.bold(event.code.user_code)}\n`);
            spinner = out.spinner("  Waiting for confirmation…");
          })();
        }
        if (event.type === "retrying")
          spinner?.update(`  Waiting for confirmation… (${event.error.message} Retrying.)`);
      },
    });
  } finally {
    spinner?.stop();
  }
}

interface ObtainedLogin {
  login: LoginResult;
  source: CredentialSource;
  /** ` (via PAT "name")` when a PAT was given, else empty. */
  via: string;
}

/** Runs the sign-in the options ask for: a given token (checked with the server), or a browser flow. */
async function obtainLogin(options: LoginOptions, tokenGiven: boolean, ctx: CliContext): Promise<ObtainedLogin> {
  const { out } = ctx;
  if (tokenGiven) {
    if (options.token !== undefined && !options.withToken && !options.tokenFromPrompt) {
      out.say(out.dim("Tip: `--with-token` reads the token from stdin, keeping it out of shell history and `ps`."));
    }
    const token = options.withToken ? await text(ctx.out.io.stdin) : (options.token ?? "");
    const { login, source, credential } = await signInWithToken({ api: ctx.api, token });
    const via = credential.kind === "pat" ? ` (via PAT "${credential.name}")` : "";
    return { login, source, via };
  }
  return { login: await browserLogin(options, ctx), source: options.web ? "browser" : "device-code", via: "" };
}

/** `/register` that comes back to the approval page for this code once the account exists. */
function signUpUrl(verificationUrl: string): string {
  const approval = new URL(verificationUrl);
  const register = new URL("/register", approval.origin);
  register.searchParams.set("next", approval.pathname + approval.search);
  return register.toString();
}
