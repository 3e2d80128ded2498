import { ClaudemeshError } from "../errors.js";

/** The OS keychain as the store needs it. Entries live under service `claudemesh`, account = API origin. */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = "claudemesh";
/** A keychain that has not answered by now is treated as absent (headless Linux, no D-Bus, a hung prompt). */
export const KEYCHAIN_TIMEOUT_MS = 1000;

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
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  let keytar: Keytar;
  try {
    const loaded = (await (options.load ?? importKeytarPackage)()) as Keytar & { default?: Keytar };
    keytar = loaded.default ?? loaded;
  } catch (error) {
    throw new ClaudemeshError(
      "keychain_unavailable",
      `The OS keychain cannot be used here (${whyKeytarFailed(error)}).`,
      {
        cause: error,
      },
    );
  }
  const guarded = <T>(what: string, call: () => Promise<T>) => withTimeout(call(), timeoutMs, what);
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
export function whyKeytarFailed(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    return "the keychain module (@github/keytar) is not installed here";
  }
  const message = error instanceof Error ? error.message : String(error);
  return `the keychain module did not load: ${message.split("\n")[0]?.trim() ?? ""}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClaudemeshError("keychain_unavailable", `The OS keychain did not answer a ${what} within ${ms} ms.`),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (error instanceof ClaudemeshError) throw error;
    throw new ClaudemeshError(
      "keychain_unavailable",
      `The OS keychain refused a ${what}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
