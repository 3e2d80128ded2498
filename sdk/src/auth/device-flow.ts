import type { ApiClient } from "../api/client.js";
import type { DeviceCodeRequest, DeviceCodeResponse, DevicePollResponse, User } from "../contracts/index.js";
import { ClaudemeshError, SlowDownError } from "../errors.js";
import { deviceInfo } from "./device-info.js";
import { realSleep, type Sleep } from "./sleep.js";

/** What a login hands back: the new session token and whose it is. */
export interface LoginResult {
  token: string;
  user: User;
  /** When the token expires if unused (ISO 8601), as the server said. */
  expiresAt: string | null;
}

/** What one poll found: the login, or still pending (poll again after `interval` seconds). */
export type DeviceCheck = { status: "approved"; result: LoginResult } | { status: "pending"; interval: number };

/** Progress, for a spinner or VS Code's progress notification. */
export type DeviceFlowEvent =
  /** Asking for a code failed in a way that may pass (the network); it is asked again after `delayMs`. */
  | { type: "code_retrying"; error: ClaudemeshError; delayMs: number; attempt: number }
  | { type: "code"; code: DeviceCodeResponse }
  | { type: "waiting"; secondsLeft: number }
  | { type: "slow_down"; intervalMs: number }
  | { type: "retrying"; error: ClaudemeshError; delayMs: number; attempt: number }
  | { type: "done"; result: LoginResult };

export interface DeviceFlowDeps {
  api: Pick<ApiClient, "requestDeviceCode" | "pollDeviceCode">;
  sleep?: Sleep;
  /** Milliseconds since the epoch. */
  now?: () => number;
  device?: DeviceCodeRequest;
}

export interface DeviceFlowOptions {
  signal?: AbortSignal;
  onEvent?: (event: DeviceFlowEvent) => void;
  /** Ask the server to hold polls open (answered as soon as the login is decided). Default true. */
  longPoll?: boolean;
}

/** Seed 003's error table: network failures back off 1.5 s → 3 s → 6 s …, at most 30 s, and keep going. */
export const NETWORK_BACKOFF_START_MS = 1500;
export const NETWORK_BACKOFF_MAX_MS = 30_000;
/**
 * How long asking for a code keeps trying through network failures. There is no code to
 * expire yet, so this is the bound instead: longer than a dropped Wi-Fi, shorter than
 * someone's patience with a login that shows nothing to approve.
 */
export const CODE_REQUEST_PATIENCE_MS = 120_000;
const LONG_POLL_SECONDS = 25;
const RETRIABLE = new Set(["network", "timeout", "server_error", "database_unavailable", "bad_response"]);

/**
 * The device-code login (RFC 8628) from the client's side: ask for a code,
 * show it, poll until the browser decides.
 *
 * @example
 * const flow = new DeviceFlow({ api });
 * const result = await flow.run({ onEvent: (e) => e.type === "code" && show(e.code), signal });
 */
export class DeviceFlow {
  readonly #api: DeviceFlowDeps["api"];
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #device: DeviceCodeRequest;

  constructor(deps: DeviceFlowDeps) {
    this.#api = deps.api;
    this.#sleep = deps.sleep ?? realSleep;
    this.#now = deps.now ?? Date.now;
    this.#device = deps.device ?? deviceInfo();
  }

  /**
   * Requests a code and polls it to the end. Asking for the code rides out the network as
   * polling does (the same backoff), for at most `CODE_REQUEST_PATIENCE_MS`.
   */
  async run(options: DeviceFlowOptions = {}): Promise<LoginResult> {
    const code = await this.#requestCode(options);
    options.onEvent?.({ type: "code", code });
    return this.waitForApproval(code, options);
  }

  /** Step one: a device code and the user code to show (one request; network errors are thrown). */
  start(signal?: AbortSignal): Promise<DeviceCodeResponse> {
    return this.#api.requestDeviceCode(this.#device, signal);
  }

  async #requestCode({ signal, onEvent }: DeviceFlowOptions): Promise<DeviceCodeResponse> {
    const giveUpAt = this.#now() + CODE_REQUEST_PATIENCE_MS;
    for (let failures = 1; ; failures += 1) {
      try {
        return await this.start(signal);
      } catch (error) {
        const failure = retriable(error, signal);
        const delayMs = backoff(failures);
        if (this.#now() + delayMs > giveUpAt) throw failure;
        onEvent?.({ type: "code_retrying", error: failure, delayMs, attempt: failures });
        await this.#sleep(delayMs, signal);
      }
    }
  }

  /**
   * Step two without waiting: one poll, not held open. `pending` while nobody
   * has decided, or when the poll came too soon (`interval`: the seconds to
   * leave before the next one); throws as `waitForApproval` does when the
   * login ends otherwise. Network errors are thrown, not retried.
   */
  async checkOnce(code: DeviceCodeResponse, signal?: AbortSignal): Promise<DeviceCheck> {
    if (Date.parse(code.expires_at) <= this.#now()) throw expired();
    let answer: DevicePollResponse;
    try {
      answer = await this.#api.pollDeviceCode(code.device_code, { waitSeconds: 0, signal });
    } catch (error) {
      if (error instanceof SlowDownError) return { status: "pending", interval: error.interval };
      throw error;
    }
    const result = settled(answer);
    return result ? { status: "approved", result } : { status: "pending", interval: code.interval };
  }

  /** Step two: polls until approved (the token), denied, expired or aborted. */
  async waitForApproval(code: DeviceCodeResponse, options: DeviceFlowOptions = {}): Promise<LoginResult> {
    const { signal, onEvent } = options;
    const longPoll = options.longPoll ?? true;
    const deadline = Date.parse(code.expires_at);
    let intervalMs = code.interval * 1000;
    let failures = 0;

    for (;;) {
      if (signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.");
      const msLeft = deadline - this.#now();
      if (msLeft <= 0) throw expired();

      const started = this.#now();
      let answer: DevicePollResponse;
      try {
        const waitSeconds = longPoll ? Math.max(0, Math.min(LONG_POLL_SECONDS, Math.floor(msLeft / 1000))) : 0;
        answer = await this.#api.pollDeviceCode(code.device_code, { waitSeconds, signal });
      } catch (error) {
        if (error instanceof SlowDownError) {
          // RFC 8628 §3.5: poll slower from now on; the server says how slow.
          intervalMs = Math.max(intervalMs, error.interval * 1000);
          onEvent?.({ type: "slow_down", intervalMs });
          await this.#sleep(intervalMs, signal);
          continue;
        }
        const failure = retriable(error, signal);
        failures += 1;
        const delayMs = backoff(failures);
        onEvent?.({ type: "retrying", error: failure, delayMs, attempt: failures });
        await this.#sleep(delayMs, signal);
        continue;
      }
      failures = 0;

      const result = settled(answer);
      if (result) {
        onEvent?.({ type: "done", result });
        return result;
      }

      onEvent?.({ type: "waiting", secondsLeft: Math.max(0, Math.round((deadline - this.#now()) / 1000)) });
      // Leave the interval between polls whether or not the server held this one open.
      const elapsed = this.#now() - started;
      if (elapsed < intervalMs) await this.#sleep(intervalMs - elapsed, signal);
    }
  }
}

/** The failure as a ClaudemeshError when trying again may help; throws it (or `cancelled`) when not. */
function retriable(error: unknown, signal: AbortSignal | undefined): ClaudemeshError {
  const failure = error instanceof ClaudemeshError ? error : new ClaudemeshError("network", String(error));
  if (signal?.aborted || failure.code === "cancelled") throw new ClaudemeshError("cancelled", "Cancelled.");
  if (!RETRIABLE.has(failure.code)) throw failure;
  return failure;
}

/** The wait before the `failures`-th retry: 1.5 s, doubling, at most 30 s. */
function backoff(failures: number): number {
  return Math.min(NETWORK_BACKOFF_START_MS * 2 ** (failures - 1), NETWORK_BACKOFF_MAX_MS);
}

/** The login when the answer ends it well, null while pending; throws when it ends otherwise. */
function settled({ status, token, user, expires_at }: DevicePollResponse): LoginResult | null {
  if (status === "approved") {
    if (!token || !user) {
      throw new ClaudemeshError(
        "already_claimed",
        "This login was approved, but another process already received its token.",
      );
    }
    return { token, user, expiresAt: expires_at ?? null };
  }
  if (status === "denied") throw new ClaudemeshError("access_denied", "Login denied in the browser.");
  if (status === "expired") throw expired();
  return null;
}

function expired(): ClaudemeshError {
  return new ClaudemeshError("device_code_expired", "Login timed out.");
}
