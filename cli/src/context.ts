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
import { type Clock, systemClock } from "./clock.js";
import { lazyInterruptSignal } from "./interrupt.js";
import { type IO, Output, systemIO } from "./io.js";
import { type Prompts, terminalPrompts } from "./prompts.js";
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
  /** Every question asked of the person (the wizard's too). */
  prompts: Prompts;
  /** Now, and waiting (the device flow's polling interval). */
  clock: Clock;
  /** Aborted by Ctrl-C; reading it makes Ctrl-C the command's to handle (see interrupt.ts). */
  readonly signal: AbortSignal;
}

/** What tests put in place of the terminal, the network, time and Ctrl-C; real ones otherwise. */
export interface ContextParts {
  /** The transport every ApiClient sends through (default: Node's fetch). */
  fetch?: typeof fetch;
  prompts?: Prompts;
  clock?: Clock;
  signal?: AbortSignal;
}

export function createContext(
  processEnv: NodeJS.ProcessEnv = process.env,
  io: IO = systemIO(processEnv),
  parts: ContextParts = {},
): CliContext {
  const env = readSdkEnv(processEnv);
  const out = new Output(io);
  const interrupt = parts.signal ? () => parts.signal as AbortSignal : lazyInterruptSignal();
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
    api: (token) =>
      ApiClient.create({
        baseUrl: apiUrl(),
        token,
        env,
        client: `claudemesh-cli/${CLAUDEMESH_VERSION}`,
        fetch: parts.fetch,
      }),
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
    prompts: parts.prompts ?? terminalPrompts(io),
    clock: parts.clock ?? systemClock,
    get signal() {
      return interrupt();
    },
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
