import {
  ApiClient,
  CredentialStore,
  DEFAULT_API_URL,
  type Keychain,
  LocalConfigStore,
  MeshConnection,
  type MeshConnectionOptions,
  normalizeBaseUrl,
  readSdkEnv,
  type SdkEnv,
} from "@claudemesh/sdk";
import { browserUnavailableReason, planBrowserOpen, startOpener } from "./browser.js";
import { type Clock, systemClock } from "./clock.js";
import type { Messages } from "./i18n/en.js";
import { type Language, messagesFor, noticeText, pickLanguage } from "./i18n/language.js";
import { forgetInheritedCredentials } from "./inherited-credentials.js";
import { lazyInterruptSignal } from "./interrupt.js";
import { type IO, Output, systemIO } from "./io.js";
import { type Prompts, terminalPrompts } from "./prompts.js";
import { Telemetry } from "./telemetry.js";

declare const CLAUDEMESH_VERSION: string;

/** Everything a command needs from the outside world, built on first use. Tests make their own. */
export interface CliContext {
  out: Output;
  /** The language people are spoken to in (`--lang` > CLAUDEMESH_LANG > LC_ALL > LC_MESSAGES > LANG). */
  language: Language;
  /** Every message, in `language`. */
  t: Messages;
  env: SdkEnv;
  processEnv: NodeJS.ProcessEnv;
  apiUrl(): string;
  api(token?: string): Promise<ApiClient>;
  /** A live connection to a mesh's broker on the server in use (`send`, `inbox`). */
  connectMesh(options: MeshLinkOptions): Promise<MeshLink>;
  /** A client for another server than the one in use (`logout --all`). */
  apiFor(baseUrl: string): (token?: string) => Promise<ApiClient>;
  store(): CredentialStore;
  /** `config.json`: joined meshes and preferences. */
  config(): LocalConfigStore;
  /** Usage events for this run (sent when it ends, if telemetry is on). */
  telemetry: Telemetry;
  /** Opens a page of the server in use in the browser unless it makes no sense here; the reason when it did not. */
  openBrowser(url: string): Promise<string | null>;
  /** `--token`, given to any command: wins over CLAUDEMESH_TOKEN and the saved login. */
  tokenFlag?: string;
  /** Every question asked of the person (the wizard's too). */
  prompts: Prompts;
  /** Now, and waiting (the device flow's polling interval). */
  clock: Clock;
  /** Aborted by Ctrl-C; reading it makes Ctrl-C the command's to handle (see interrupt.ts). */
  readonly signal: AbortSignal;
  /** Rids this process of credential variables, re-executing as `relaunchArgs` where it can (inherited-credentials.ts). */
  forgetCredentials: typeof forgetInheritedCredentials;
}

/** What a command asks of a mesh connection: the SDK's MeshConnection, or a test's fake of it. */
export type MeshLink = Pick<MeshConnection, "welcome" | "peers" | "send" | "messages" | "synced" | "close">;
/** A mesh connection's options, but the server and the client's name, which the context fills in. */
export type MeshLinkOptions = Omit<MeshConnectionOptions, "apiUrl" | "client" | "env">;

/** What tests put in place of the terminal, the network, time and Ctrl-C; real ones otherwise. */
export interface ContextParts {
  /** Opens mesh connections (default: the SDK's MeshConnection over a WebSocket). */
  connectMesh?: (options: MeshConnectionOptions) => Promise<MeshLink>;
  /** The transport every ApiClient sends through (default: Node's fetch). */
  fetch?: typeof fetch;
  prompts?: Prompts;
  clock?: Clock;
  signal?: AbortSignal;
  /** The OS keychain the credential store uses (default: keytar). */
  loadKeychain?: () => Promise<Keychain>;
  /** What rids this process of credential variables (default: the real one, which may re-execute it). */
  forgetCredentials?: typeof forgetInheritedCredentials;
}

export function createContext(
  processEnv: NodeJS.ProcessEnv = process.env,
  io: IO = systemIO(processEnv),
  parts: ContextParts = {},
): CliContext {
  const env = readSdkEnv(processEnv);
  const out = new Output(io);
  const language = pickLanguage(undefined, processEnv);
  const interrupt = parts.signal ? () => parts.signal as AbortSignal : lazyInterruptSignal();
  let store: CredentialStore | undefined;
  let config: LocalConfigStore | undefined;
  const apiUrl = () => normalizeBaseUrl(env.apiUrl ?? DEFAULT_API_URL);
  const configStore = () => {
    config ??= new LocalConfigStore({
      configDir: env.configDir,
      onNotice: (notice) => out.warn(noticeText(notice, ctx.t)),
    });
    return config;
  };
  const ctx: CliContext = {
    out,
    language,
    t: messagesFor(language),
    env,
    processEnv,
    apiUrl,
    api: (token) => ctx.apiFor(apiUrl())(token),
    connectMesh: (options) =>
      (parts.connectMesh ?? MeshConnection.open)({
        ...options,
        apiUrl: apiUrl(),
        client: `claudemesh-cli/${CLAUDEMESH_VERSION}`,
        env,
      }),
    apiFor: (baseUrl) => (token) =>
      ApiClient.create({
        baseUrl,
        token,
        env,
        client: `claudemesh-cli/${CLAUDEMESH_VERSION}`,
        language: ctx.language,
        fetch: parts.fetch,
      }),
    store: () => {
      store ??= new CredentialStore({
        apiUrl: apiUrl(),
        configDir: env.configDir,
        mode: env.tokenStore,
        loadKeychain: parts.loadKeychain,
        onNotice: (notice) => out.warn(noticeText(notice, ctx.t)),
      });
      return store;
    },
    config: configStore,
    telemetry: new Telemetry({ config: configStore, env: processEnv, apiUrl }),
    prompts: parts.prompts ?? terminalPrompts(io, () => ctx.t),
    clock: parts.clock ?? systemClock,
    forgetCredentials: parts.forgetCredentials ?? forgetInheritedCredentials,
    get signal() {
      return interrupt();
    },
    async openBrowser(url) {
      // Checked first, so a link that is refused says so even where no browser would open.
      const plan = planBrowserOpen(url, apiUrl(), process.platform);
      if (plan.kind === "refused") return ctx.t.browser[plan.reason](new URL(apiUrl()).origin);
      const reason = browserUnavailableReason(processEnv);
      if (reason) return ctx.t.browser[reason];
      try {
        await startOpener(plan.opener);
        return null;
      } catch (error) {
        return ctx.t.browser.failed((error as Error).message);
      }
    },
  };
  return ctx;
}

/** Speaks `language` from now on (`--lang`, read before the program is built). */
export function useLanguage(ctx: CliContext, language: Language): void {
  ctx.language = language;
  ctx.t = messagesFor(language);
}
