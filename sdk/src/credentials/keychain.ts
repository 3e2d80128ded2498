import { ClaudemeshError, type ErrorDetail, type KeychainOperation } from "../errors.js";

/** The OS keychain as the store needs it. Entries live under service `claudemesh`, account `<server origin>#<user id>#<fingerprint>` (see keychainAccount). */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = "claudemesh";
/** A keychain that has not answered by now is treated as absent (headless Linux, no D-Bus, a hung prompt). */
export const KEYCHAIN_TIMEOUT_MS = 1000;
/**
 * A process's first call also opens its D-Bus connection and the keyring
 * session: measured up to 2.9 s on a 2-core machine at load 10–15 (every
 * later call under 0.4 s; docs/performance.md), so it gets more room.
 */
export const FIRST_KEYCHAIN_CALL_TIMEOUT_MS = 3000;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Loads the native keychain module: the CLI imports the package, the extension requires the binary it ships. */
export type KeytarLoader = () => Promise<unknown>;

const importKeytarPackage: KeytarLoader = () => import("@github/keytar");

/**
 * The OS keychain through keytar (GitHub's maintained `@github/keytar`, whose
 * npm package carries prebuilt binaries for every desktop platform), loaded only
 * when first needed (start-up does not pay for it). Fails with
 * `keychain_unavailable` when the module or libsecret is missing, or when a
 * call takes longer than the timeout.
 */
export async function loadKeytarKeychain(options: { timeoutMs?: number; load?: KeytarLoader } = {}): Promise<Keychain> {
  let first = true;
  const timeoutFor = () => {
    const firstCall = first;
    first = false;
    return options.timeoutMs ?? (firstCall ? FIRST_KEYCHAIN_CALL_TIMEOUT_MS : KEYCHAIN_TIMEOUT_MS);
  };
  let keytar: Keytar;
  try {
    const loaded = (await (options.load ?? importKeytarPackage)()) as Keytar & { default?: Keytar };
    keytar = loaded.default ?? loaded;
  } catch (error) {
    throw ClaudemeshError.of("keychain_unavailable", whyKeytarFailed(error), { cause: error });
  }
  const guarded = <T>(what: KeychainOperation, call: () => Promise<T>) => withTimeout(call(), timeoutFor(), what);
  return {
    get: (account) => guarded("read", () => keytar.getPassword(KEYCHAIN_SERVICE, account)),
    set: (account, secret) => guarded("write", () => keytar.setPassword(KEYCHAIN_SERVICE, account, secret)),
    delete: (account) => guarded("delete", () => keytar.deletePassword(KEYCHAIN_SERVICE, account)),
  };
}

/**
 * Why keytar did not load, in one line: Node's "Cannot find module …" comes with
 * a multi-line require stack that says nothing to the person reading it.
 */
export function whyKeytarFailed(error: unknown): ErrorDetail {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") return { kind: "keychain_module_missing" };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "keychain_module_failed", reason: message.split("\n")[0]?.trim() ?? "" };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, operation: KeychainOperation): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(ClaudemeshError.of("keychain_unavailable", { kind: "keychain_timed_out", operation, ms })),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (error instanceof ClaudemeshError) throw error;
    throw ClaudemeshError.of("keychain_unavailable", whyKeychainRefused(error, operation), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why a keychain call failed, in one line that reads the same in every door.
 * D-Bus names a missing Secret Service by whatever the caller last used (a
 * fresh CLI says `org.freedesktop.secrets`, a long-running editor the
 * service's old unique name such as `:1.1`), so that case gets one detail.
 */
export function whyKeychainRefused(error: unknown, operation: KeychainOperation): ErrorDetail {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.trim() ?? "";
  if (/was not provided by any \.service files|ServiceUnknown|is not activatable/i.test(message)) {
    return { kind: "no_secret_service", operation };
  }
  // libdbus without a session bus: "Cannot autolaunch D-Bus without X11 $DISPLAY", or a bus address that leads nowhere.
  if (/Cannot autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS/i.test(message)) {
    return { kind: "no_session_bus", operation };
  }
  return { kind: "keychain_refused", operation, reason: message };
}
