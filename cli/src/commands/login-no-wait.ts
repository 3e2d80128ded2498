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
import type { Messages } from "../i18n/en.js";
import { errorText, LocalizedError, noticeText } from "../i18n/language.js";
import type { LoginOptions } from "./login-options.js";

// `claudemesh login --no-wait` / `--continue`: the device-code login split in two
// processes, for agents and CI that cannot sit in a blocking command.

/** Refuses flag combinations that mean nothing (exit 1). */
export function refuseMisusedPendingLogin(options: LoginOptions, t: Messages): void {
  const deferred = options.wait === false || options.continue === true;
  const other = otherSignInFlag(options);
  if (deferred && other) {
    const flag = options.continue ? "--continue" : "--no-wait";
    throw new LocalizedError("invalid_input", t.pending.notWithOther(flag, other));
  }
  if (options.json && !deferred) throw new LocalizedError("invalid_input", t.pending.jsonOnlyDeferred);
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
  const { out, t } = ctx;
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
  out.print(t.pending.openAndApprove);
  out.print(`  ${verification_url_complete}`);
  out.print(t.pending.code(user_code, minutes));
  out.say(out.dim(t.pending.thenContinue));
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
  const { out, t } = ctx;
  const store = pendingLoginStore(ctx);
  const pending = await store.load();
  if (!pending) {
    if (options.json) printJson(ctx, { status: "not_started" });
    out.failure(t.pending.noneWaiting(ctx.apiUrl()), t.pending.startFirst);
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
    out.failure(ending.message(t), ending.hint(t));
    return ExitStatus.failure;
  }
  return { login, forget: () => store.clear(pending).then(() => {}) };
}

/** How a pending login can end without a token, as `--continue` reports it. */
type Words = (t: Messages) => string;
const ENDINGS: Partial<Record<ErrorCode, { status: string; message: Words; hint: Words }>> = {
  access_denied: { status: "denied", message: (t) => t.pending.denied, hint: (t) => t.pending.deniedHint },
  device_code_expired: { status: "expired", message: (t) => t.pending.expired, hint: (t) => t.pending.expiredHint },
  already_claimed: {
    status: "claimed_elsewhere",
    message: (t) => t.pending.claimed,
    hint: (t) => t.pending.claimedHint,
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
  ctx.out.say(ctx.t.pending.stillWaiting(user_code, verification_url_complete));
  ctx.out.say(ctx.out.dim(ctx.t.pending.checkAgain(retryAfter, ExitStatus.pending)));
  return ExitStatus.pending;
}

/** Polls until decided, with login's spinner; Ctrl-C stops waiting and keeps the pending login. */
async function waitWithProgress(pending: PendingLogin, deps: PendingLoginFlowDeps, ctx: CliContext) {
  const { out, t } = ctx;
  // Taken before the prompt shows, so a Ctrl-C the moment it appears is already ours.
  const signal = ctx.signal;
  out.say(`  ${t.pending.approveAt(out.bold(pending.user_code), pending.verification_url_complete)}`);
  const spinner = out.spinner(`  ${t.login.waiting}`);
  try {
    return await waitForPendingLogin(pending, deps, {
      signal,
      longPoll: ctx.env.longPoll,
      onEvent: (event) => {
        if (event.type === "retrying") spinner.update(`  ${t.login.retrying(errorText(event.error, t))}`);
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
    onNotice: (notice) => ctx.out.warn(noticeText(notice, ctx.t)),
  });
}

/** The device flow on the context's transport and clock. */
async function deviceFlow(ctx: CliContext): Promise<DeviceFlow> {
  return new DeviceFlow({ api: await ctx.api(), sleep: ctx.clock.sleep, now: ctx.clock.now });
}

function printJson(ctx: CliContext, value: unknown): void {
  ctx.out.print(JSON.stringify(value, null, 2));
}
