import { CredentialStore, type StoredCredential } from "../credentials/credential-store.js";

/** The variables a client reads to find its credential (as the CLI and the extension get them). */
export interface StoreEnv {
  CLAUDEMESH_API_URL?: string;
  CLAUDEMESH_CONFIG_DIR?: string;
}

/**
 * What a client signed in with `env` kept, read back through the store the
 * clients use (keychain or auth.json, wherever it went): tests never parse
 * auth.json or name keychain entries themselves, so a change to either layout
 * changes no test. Reaches the keychain on this process's D-Bus session (the
 * test run's keyring).
 *
 * @example
 * await runCli(["login", "--with-token"], env, pat);
 * expect(await storedToken(env)).toBe(pat);
 */
export async function storedCredential(env: StoreEnv): Promise<StoredCredential | null> {
  if (!env.CLAUDEMESH_API_URL)
    throw new Error("storedCredential needs CLAUDEMESH_API_URL: the server the token is for");
  return new CredentialStore({ apiUrl: env.CLAUDEMESH_API_URL, configDir: env.CLAUDEMESH_CONFIG_DIR }).load();
}

/** The stored token for `env`'s server, or undefined when signed out. See storedCredential. */
export async function storedToken(env: StoreEnv): Promise<string | undefined> {
  return (await storedCredential(env))?.token;
}
