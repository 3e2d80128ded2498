import { join } from "node:path";
import * as z from "zod";
import { Timestamp } from "../contracts/common.js";
import type { DeviceCodeResponse } from "../contracts/device-code.js";
import { lazySchema } from "../contracts/lazy-schema.js";
import { defaultConfigDir } from "../credentials/file-store.js";
import { ClaudemeshError, type Notice } from "../errors.js";
import { PrivateJsonFile } from "../files/private-json-file.js";
import type { DeviceFlow, DeviceFlowOptions, LoginResult } from "./device-flow.js";
import { realSleep, type Sleep } from "./sleep.js";

/**
 * `pending-login.json`: a device-code login started without waiting
 * (`claudemesh login --no-wait`), to be finished by a later process. It holds
 * the device code, a secret for the code's ten minutes, so it is 0600 and
 * never printed.
 */
export const PendingLogin = lazySchema(() =>
  z.object({
    version: z.literal(1),
    /** The server's origin: a pending login for another server is not used. */
    api_url: z.string(),
    device_code: z.string(),
    user_code: z.string(),
    verification_url: z.string(),
    verification_url_complete: z.string(),
    expires_at: Timestamp,
    /** Seconds to leave between polls; raised when the server said `slow_down`. */
    interval: z.number().positive(),
    created_at: Timestamp,
    /** The last poll this file knows of, so separate processes together keep the interval. */
    last_checked_at: Timestamp.nullable(),
  }),
);
export type PendingLogin = z.infer<typeof PendingLogin>;

export interface PendingLoginStoreOptions {
  apiUrl: string;
  configDir?: string;
  /** Things the user should hear (a file removed because it was unreadable); the SDK never prints. */
  onNotice?: (notice: Notice) => void;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/**
 * Where a login started without waiting is kept between processes: one file
 * beside auth.json, written whole (temp file + rename) in the 0700 folder,
 * changed under a lock so concurrent `--continue`s and a new `--no-wait` never
 * overwrite each other with stale copies.
 *
 * @example
 * const pending = new PendingLoginStore({ apiUrl, configDir });
 * await pending.save(await new DeviceFlow({ api }).start());
 */
export class PendingLoginStore {
  readonly dir: string;
  readonly path: string;
  readonly #origin: string;
  readonly #now: () => number;
  readonly #file: PrivateJsonFile<PendingLogin>;

  constructor(options: PendingLoginStoreOptions) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "pending-login.json");
    this.#origin = new URL(options.apiUrl).origin;
    this.#now = options.now ?? Date.now;
    this.#file = new PrivateJsonFile({
      path: this.path,
      schema: PendingLogin,
      onNotice: options.onNotice,
      // Nothing in an unreadable one is worth keeping: a new `login --no-wait` starts over.
      // A link or another user's file is refused instead (forbidden), never removed or read.
      corrupt: { code: "forbidden", remove: true },
    });
  }

  /** Keeps a code just handed out, replacing any earlier pending login. */
  async save(code: DeviceCodeResponse): Promise<PendingLogin> {
    const login: PendingLogin = {
      version: 1,
      api_url: this.#origin,
      device_code: code.device_code,
      user_code: code.user_code,
      verification_url: code.verification_url,
      verification_url_complete: code.verification_url_complete,
      expires_at: code.expires_at,
      interval: code.interval,
      created_at: new Date(this.#now()).toISOString(),
      last_checked_at: null,
    };
    await this.#file.write(login);
    return login;
  }

  /** The pending login for this server, or null (none, another server's, or unreadable: then removed). */
  async load(): Promise<PendingLogin | null> {
    const login = await this.#file.read();
    return login?.api_url === this.#origin ? login : null;
  }

  /**
   * Notes a poll of `login` and the interval to keep from now on; the file is
   * left alone if it holds a newer login another process saved meanwhile.
   */
  async recordCheck(login: PendingLogin, interval: number): Promise<PendingLogin> {
    const checked = { ...login, interval, last_checked_at: new Date(this.#now()).toISOString() };
    await this.#file.update((current) => (current && current.device_code !== login.device_code ? current : checked));
    return checked;
  }

  /**
   * Removes the pending login, but only while the file still holds `login`: a
   * newer `login --no-wait` from another process is left alone. True if removed.
   */
  async clear(login: PendingLogin): Promise<boolean> {
    let removed = false;
    await this.#file.update((current) => {
      if (current?.device_code !== login.device_code) return current;
      removed = true;
      return null;
    });
    return removed;
  }
}

/** The code as the device flow polls it. */
export function pendingDeviceCode(login: PendingLogin): DeviceCodeResponse {
  const { device_code, user_code, verification_url, verification_url_complete, expires_at, interval } = login;
  return { device_code, user_code, verification_url, verification_url_complete, expires_at, interval };
}

export interface PendingLoginFlowDeps {
  flow: Pick<DeviceFlow, "checkOnce" | "waitForApproval">;
  store: PendingLoginStore;
  sleep?: Sleep;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/** What one check of a pending login found. */
export type PendingLoginCheck =
  | { status: "approved"; result: LoginResult }
  | { status: "pending"; login: PendingLogin; nextCheckAt: number };

/**
 * `login --continue --no-wait`: polls a pending login once. A check sooner
 * than the interval after the last one waits out the rest first, so a script
 * calling this in a tight loop never earns a `slow_down`. Denied, expired or
 * already-claimed logins are removed and thrown; an approved one is left for
 * the caller to remove once the token is saved.
 */
export async function checkPendingLogin(
  login: PendingLogin,
  deps: PendingLoginFlowDeps,
  signal?: AbortSignal,
): Promise<PendingLoginCheck> {
  const now = deps.now ?? Date.now;
  await waitUntilDue(login, deps, signal);
  const check = await endingWith(login, deps.store, () => deps.flow.checkOnce(pendingDeviceCode(login), signal));
  if (check.status === "approved") return check;
  const recorded = await deps.store.recordCheck(login, check.interval);
  return { status: "pending", login: recorded, nextCheckAt: now() + check.interval * 1000 };
}

/**
 * `login --continue`: polls a pending login until it is decided (an approval
 * that already happened is collected at once). Ends as `checkPendingLogin` does.
 */
export async function waitForPendingLogin(
  login: PendingLogin,
  deps: PendingLoginFlowDeps,
  options: DeviceFlowOptions = {},
): Promise<LoginResult> {
  await waitUntilDue(login, deps, options.signal);
  return endingWith(login, deps.store, () => deps.flow.waitForApproval(pendingDeviceCode(login), options));
}

/** Sleeps out what is left of the interval since this login's last recorded poll. */
async function waitUntilDue(login: PendingLogin, deps: PendingLoginFlowDeps, signal?: AbortSignal): Promise<void> {
  if (!login.last_checked_at) return;
  const dueInMs = Date.parse(login.last_checked_at) + login.interval * 1000 - (deps.now ?? Date.now)();
  if (dueInMs > 0) await (deps.sleep ?? realSleep)(Math.min(dueInMs, login.interval * 1000), signal);
}

/** Codes that end a pending login for good: its file goes. */
const FINAL = new Set(["access_denied", "device_code_expired", "already_claimed", "not_found"]);

async function endingWith<T>(login: PendingLogin, store: PendingLoginStore, poll: () => Promise<T>): Promise<T> {
  try {
    return await poll();
  } catch (error) {
    if (!(error instanceof ClaudemeshError) || !FINAL.has(error.code)) throw error;
    await store.clear(login);
    // The server forgets codes some time after they expire; to the user that is the same thing.
    if (error.code === "not_found") {
      throw new ClaudemeshError("device_code_expired", "The server no longer knows this login.", { cause: error });
    }
    throw error;
  }
}
