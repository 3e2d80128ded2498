// The one place the SDK reads process.env; callers may pass another environment (tests do).

/** Where the CLI and the extension look for the server when nothing else says. */
export const DEFAULT_API_URL = "https://claudemesh.com";

export interface SdkEnv {
  apiUrl?: string;
  token?: string;
  configDir?: string;
  tokenStore?: "keychain" | "file";
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
  /**
   * False when CLAUDEMESH_LONG_POLL is 0/false/off: poll every interval instead of
   * holding requests open, for proxies that cut idle connections.
   */
  longPoll?: boolean;
}

/** Reads the variables the SDK honours; empty values count as unset. */
export function readSdkEnv(env: NodeJS.ProcessEnv = process.env): SdkEnv {
  const get = (...names: string[]) => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const store = get("CLAUDEMESH_TOKEN_STORE");
  const longPoll = get("CLAUDEMESH_LONG_POLL")?.toLowerCase();
  return {
    apiUrl: get("CLAUDEMESH_API_URL"),
    token: get("CLAUDEMESH_TOKEN"),
    configDir: get("CLAUDEMESH_CONFIG_DIR"),
    tokenStore: store === "keychain" || store === "file" ? store : undefined,
    httpsProxy: get("HTTPS_PROXY", "https_proxy"),
    httpProxy: get("HTTP_PROXY", "http_proxy"),
    noProxy: get("NO_PROXY", "no_proxy"),
    longPoll: longPoll === undefined ? undefined : !["0", "false", "off", "no"].includes(longPoll),
  };
}
