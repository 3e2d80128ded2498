import { text } from "node:stream/consumers";
import {
  type ApiClient,
  ClaudemeshError,
  type CredentialSource,
  checkIdentity,
  DeviceFlow,
  escapeUnsafeCharacters,
  keepLogin,
  type LoginResult,
  LoopbackFlow,
  type StoredCredential,
  signInWithToken,
} from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { describeStore } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { errorText } from "../i18n/language.js";
import { reportSync, syncMeshes } from "../meshes.js";
import { continuePendingLogin, refuseMisusedPendingLogin, startPendingLogin } from "./login-no-wait.js";
import type { LoginOptions } from "./login-options.js";

/** `claudemesh login`: device code by default, `--web` for the browser callback, or a token. */
export function loginCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("login")
    .description(t.login.description)
    .option("--web", t.login.web)
    .option("--token <token>", t.login.token)
    .option("--with-token", t.login.withToken)
    .option("--no-browser", t.login.noBrowser)
    .option("--force", t.login.force)
    .option("--no-wait", t.login.noWait)
    .option("--continue", t.login.continue)
    .option("--json", t.login.json)
    .action(returnsStatus((options: LoginOptions) => runLogin(options, ctx)));
}

export async function runLogin(options: LoginOptions, ctx: CliContext): Promise<number> {
  refuseMisusedPendingLogin(options, ctx.t);
  const continued = options.continue ? await continuePendingLogin(options, ctx) : undefined;
  if (typeof continued === "number") return continued;
  const { out, t } = ctx;
  const store = ctx.store();
  const previous = await previousCredential(ctx);
  // Passing a token says which credential to use: it replaces the saved one without --force.
  const tokenGiven = options.token !== undefined || options.withToken === true;

  if (previous?.alive && !options.force && !tokenGiven && !continued) {
    if (options.json) out.print(JSON.stringify({ status: "signed_in", api_url: ctx.apiUrl() }, null, 2));
    out.success(t.login.alreadySignedIn(ctx.apiUrl(), previous.userName));
    out.say(out.dim(t.login.forceHint));
    return 0;
  }
  // The replacing happens at `--continue`, which says so then.
  if (options.wait === false && !options.continue) return startPendingLogin(options, ctx);
  if (previous?.alive) out.say(t.login.replacing(previous.userName));
  else if (previous) out.warn(t.login.savedDead);

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
  out.success(t.login.authenticated(login.user.name, via));
  out.success(t.login.saved(describeStore(kept.saved.store, ctx)));
  try {
    reportSync(ctx, await syncMeshes(ctx, await ctx.api(login.token)));
  } catch (error) {
    out.warn(t.login.syncFailed(errorText(error, t)));
  }
  if (kept.replaced.outcome === "failed") {
    out.warn(t.login.replacedNotRevoked);
  }
  if (options.nextSteps !== false && !options.json) out.say(t.login.getStarted(out.bold("claudemesh --help")));
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
  return { stored, alive: false, userName: stored.record.user.name };
}

async function browserLogin(options: LoginOptions, ctx: CliContext): Promise<LoginResult> {
  const { out, t } = ctx;
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
          const shown = escapeUnsafeCharacters(url);
          if (reason) out.say(`  ${t.login.notOpening(reason)} ${t.login.openThisUrl}\n\n    ${shown}\n`);
          else out.say(`  ${t.login.opening}\n\n  ${t.login.visitIfNotOpened}\n    ${shown}\n`);
          spinner = out.spinner(`  ${t.login.waiting}`);
        },
      }).run({ signal });
    }
    return await new DeviceFlow({ api, sleep: ctx.clock.sleep, now: ctx.clock.now }).run({
      signal,
      longPoll: ctx.env.longPoll,
      onEvent: (event) => {
        if (event.type === "code_retrying") {
          const retrying = `  ${t.login.codeRetrying(errorText(event.error, t))}`;
          if (spinner) spinner.update(retrying);
          else spinner = out.spinner(retrying);
        }
        if (event.type === "code") {
          // The code has come: what showed the retries gives way to it.
          spinner?.stop();
          spinner = undefined;
          const url = options.signUp
            ? signUpUrl(event.code.verification_url_complete)
            : event.code.verification_url_complete;
          void (async () => {
            const reason = options.browser === false ? "--no-browser" : await ctx.openBrowser(url);
            out.say(`  ${reason ? t.login.notOpening(reason) : t.login.opening}\n`);
            out.say(`  ${reason ? t.login.visit : t.login.visitIfNotOpened}`);
            // Shown even when refused, so a person who trusts it can copy it; escaped, never live.
            out.say(`    ${escapeUnsafeCharacters(url)}\n`);
            out.say(`  ${t.login.enterCode}`);
            out.say(`    ${out.bold(event.code.user_code)}\n`);
            spinner = out.spinner(`  ${t.login.waiting}`);
          })();
        }
        if (event.type === "retrying") spinner?.update(`  ${t.login.retrying(errorText(event.error, t))}`);
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
  const { out, t } = ctx;
  if (tokenGiven) {
    if (options.token !== undefined && !options.withToken && !options.tokenFromPrompt) {
      out.say(out.dim(t.login.withTokenTip));
    }
    const token = options.withToken ? await text(ctx.out.io.stdin) : (options.token ?? "");
    const { login, source, credential } = await signInWithToken({ api: ctx.api, token });
    const via = credential.kind === "pat" ? t.login.viaPat(credential.name) : "";
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
