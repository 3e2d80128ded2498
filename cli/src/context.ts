import {
  ApiClient,
  CredentialStore,
  DEFAULT_API_URL,
  LocalConfigStore,
  normalizeBaseUrl,
  readSdkEnv,
  type SdkEnv,
} from "@claudemesh/sdk";
import { browserUnavailableReason, openInBrowser } from "./browser.js";
import { type IO, Output, systemIO } from "./io.js";
import { Telemetry } from "./telemetry.js";

declare const CLAUDEMESH_VERSION: string;

/** Everything a command needs from the outside world, built on first use. Tests make their own. */
export interface CliContext {
  out: Output;
  env: SdkEnv;
  processEnv: NodeJS.ProcessEnv;
  apiUrl(): string;
  api(token?: string): Promise<ApiClient>;
  store(): CredentialStore;
  /** `config.json`: joined meshes and preferences. */
  config(): LocalConfigStore;
  /** Usage events for this run (sent when it ends, if telemetry is on). */
  telemetry: Telemetry;
  /** Opens the browser unless it makes no sense here; the reason when it did not. */
  openBrowser(url: string): Promise<string | null>;
  /** `--token`, given to any command: wins over CLAUDEMESH_TOKEN and the saved login. */
  tokenFlag?: string;
}

export function createContext(processEnv: NodeJS.ProcessEnv = process.env, io: IO = systemIO(processEnv)): CliContext {
  const env = readSdkEnv(processEnv);
  const out = new Output(io);
  let store: CredentialStore | undefined;
  let config: LocalConfigStore | undefined;
  const apiUrl = () => normalizeBaseUrl(env.apiUrl ?? DEFAULT_API_URL);
  const configStore = () => {
    config ??= new LocalConfigStore({ configDir: env.configDir, onWarning: (message) => out.warn(message) });
    return config;
  };
  return {
    out,
    env,
    processEnv,
    apiUrl,
    api: (token) => ApiClient.create({ baseUrl: apiUrl(), token, env, client: `claudemesh-cli/${CLAUDEMESH_VERSION}` }),
    store: () => {
      store ??= new CredentialStore({
        apiUrl: apiUrl(),
        configDir: env.configDir,
        mode: env.tokenStore,
        onNotice: (message) => out.warn(message),
      });
      return store;
    },
    config: configStore,
    telemetry: new Telemetry({ config: configStore, env: processEnv, apiUrl }),
    async openBrowser(url) {
      const reason = browserUnavailableReason(processEnv);
      if (reason) return reason;
      try {
        await openInBrowser(url);
        return null;
      } catch (error) {
        return `it could not be started (${(error as Error).message})`;
      }
    },
  };
}
