import {
  ClaudemeshError,
  checkPendingLogin,
  DeviceFlow,
  type ErrorCode,
  ExitStatus,
  type LoginResult,
  type PendingLogin,
  type PendingLoginFlowDeps,
  PendingLoginStore,
  waitForPendingLogin,
} from "@claudemesh/sdk";
import type { CliContext } from "../context.js";
import type { LoginOptions } from "./login.js";

// `claudemesh login --no-wait` / `--continue`: the device-code login split in two
// processes, for agents and CI that cannot sit in a blocking command.

/** Refuses flag combinations that mean nothing (exit 1). */
export function refuseMisusedPendingLogin(options: LoginOptions): void {
  const deferred = options.wait === false || options.continue === true;
  const other = otherSignInFlag(options);
  if (deferred && other) {
    const flag = options.continue ? "--continue" : "--no-wait";
    throw new ClaudemeshError("invalid_input", `${flag} is for the device code; it cannot go with ${other}.`);
  }
  if (options.json && !deferred) {
    throw new ClaudemeshError("invalid_input", "login takes --json only with --no-wait or --continue.");
  }
}

/** The flag that asks for a sign-in other than the device code, if any. */
function otherSignInFlag(options: LoginOptions): string | undefined {
  if (options.web) return "--web";
  if (options.withToken) return "--with-token";
  if (options.token !== undefined) return "--token";
  return undefined;
}

/** `login --no-wait`: asks for a code, keeps it privately for `--continue`, prints what the person needs. */
export async function startPendingLogin(options: LoginOptions, ctx: CliContext): Promise<number> {
  const { out } = ctx;
  const code = await (await deviceFlow(ctx)).start();
  await pendingLoginStore(ctx).save(code);
  ctx.telemetry.record("cli.login.started", { method: "device-code", wait: false });
  const { user_code, verification_url, verification_url_complete, expires_at, interval } = code;
  if (options.json) {
    // Never the device code: with it, anyone could collect the token.
    printJson(ctx, { user_code, verification_url, verification_url_complete, expires_at, interval });
    return ExitStatus.ok;
  }
  const minutes = Math.max(1, Math.round((Date.parse(expires_at) - ctx.clock.now()) / 60_000));
  out.print("To sign in, open this URL in a browser and approve the code:");
  out.print(`  ${verification_url_complete}`);
  out.print(`Code: ${user_code} (valid for ${minutes} minutes)`);
  out.say(out.dim("Then run `claudemesh login --continue` to finish (`--continue --no-wait` checks once)."));
  return ExitStatus.ok;
}

/** A login `--continue` collected: the token, and the pending file to drop once the token is saved. */
export interface ContinuedLogin {
  login: LoginResult;
  forget(): Promise<void>;
}

/**
 * `login --continue [--no-wait]`: the token of the pending login, or the exit
 * status it ended with when there is none to save (pending, denied, expired,
 * collected by another process), having said so.
 */
export async function continuePendingLogin(options: LoginOptions, ctx: CliContext): Promise<ContinuedLogin | number> {
  const { out } = ctx;
  const store = pendingLoginStore(ctx);
  const pending = await store.load();
  if (!pending) {
    if (options.json) printJson(ctx, { status: "not_started" });
    out.failure(`No login is waiting to be continued for ${ctx.apiUrl()}.`, "Run `claudemesh login --no-wait` first.");
    return ExitStatus.failure;
  }
  const deps: PendingLoginFlowDeps = { flow: await deviceFlow(ctx), store, sleep: ctx.clock.sleep, now: ctx.clock.now };
  let login: LoginResult;
  try {
    if (options.wait === false) {
      const check = await checkPendingLogin(pending, deps);
      if (check.status === "pending") return reportStillPending(check.login, check.nextCheckAt, options, ctx);
      login = check.result;
    } else {
      login = await waitWithProgress(pending, deps, ctx);
    }
  } catch (error) {
    if (!(error instanceof ClaudemeshError)) throw error;
    const ending = ENDINGS[error.code];
    if (!ending) throw error;
    ctx.telemetry.record("cli.login.failed", { method: "device-code", code: error.code });
    if (options.json) printJson(ctx, { status: ending.status });
    out.failure(ending.message, ending.hint);
    return ExitStatus.failure;
  }
  return { login, forget: () => store.clear(pending).then(() => {}) };
}

/** How a pending login can end without a token, as `--continue` reports it. */
const ENDINGS: Partial<Record<ErrorCode, { status: string; message: string; hint: string }>> = {
  access_denied: {
    status: "denied",
    message: "Login denied in the browser.",
    hint: "Run `claudemesh login --no-wait` to start again.",
  },
  device_code_expired: {
    status: "expired",
    message: "The login expired before it was approved and collected (a code lasts 10 minutes).",
    hint: "Run `claudemesh login --no-wait` again for a new code.",
  },
  already_claimed: {
    status: "claimed_elsewhere",
    message: "Another claudemesh process completed this login and received its token; nothing was changed here.",
    hint: "Run `claudemesh whoami` to see who is signed in.",
  },
};

function reportStillPending(login: PendingLogin, nextCheckAt: number, options: LoginOptions, ctx: CliContext): number {
  const { user_code, verification_url, verification_url_complete, expires_at } = login;
  const retryAfter = Math.max(1, Math.ceil((nextCheckAt - ctx.clock.now()) / 1000));
  if (options.json) {
    printJson(ctx, {
      status: "pending",
      user_code,
      verification_url,
      verification_url_complete,
      expires_at,
      retry_after: retryAfter,
    });
  }
  ctx.out.say(`Still waiting for approval of ${user_code} at ${verification_url_complete}`);
  ctx.out.say(
    ctx.out.dim(`Check again in ${retryAfter}s or later (exit status ${ExitStatus.pending} means "pending").`),
  );
  return ExitStatus.pending;
}

/** Polls until decided, with login's spinner; Ctrl-C stops waiting and keeps the pending login. */
async function waitWithProgress(pending: PendingLogin, deps: PendingLoginFlowDeps, ctx: CliContext) {
  const { out } = ctx;
  // Taken before the prompt shows, so a Ctrl-C the moment it appears is already ours.
  const signal = ctx.signal;
  out.say(`  Approve ${out.bold(pending.user_code)} at ${pending.verification_url_complete} if you have not yet.`);
  const spinner = out.spinner("  Waiting for confirmation…");
  try {
    return await waitForPendingLogin(pending, deps, {
      signal,
      longPoll: ctx.env.longPoll,
      onEvent: (event) => {
        if (event.type === "retrying") spinner.update(`  Waiting for confirmation… (${event.error.message} Retrying.)`);
      },
    });
  } finally {
    spinner.stop();
  }
}

function pendingLoginStore(ctx: CliContext): PendingLoginStore {
  return new PendingLoginStore({
    apiUrl: ctx.apiUrl(),
    configDir: ctx.env.configDir,
    now: ctx.clock.now,
    onWarning: (message) => ctx.out.warn(message),
  });
}

/** The device flow on the context's transport and clock. */
async function deviceFlow(ctx: CliContext): Promise<DeviceFlow> {
  return new DeviceFlow({ api: await ctx.api(), sleep: ctx.clock.sleep, now: ctx.clock.now });
}

function printJson(ctx: CliContext, value: unknown): void {
  ctx.out.print(JSON.stringify(value, null, 2));
}
