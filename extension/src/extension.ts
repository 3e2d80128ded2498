import {
  ApiClient,
  CredentialStore,
  DEFAULT_API_URL,
  englishNotice,
  normalizeBaseUrl,
  readSdkEnv,
} from "@claudemesh/sdk";
import * as vscode from "vscode";
import { ClaudemeshAuthenticationProvider, PROVIDER_ID } from "./auth-provider.js";
import { registerCommands } from "./commands.js";
import { Identity } from "./identity.js";
import { scheduleIdentityChecks } from "./identity-checks.js";
import { type KeychainModuleStatus, nativeKeychainModule, packagedKeychain } from "./native-keychain.js";
import { describeError, outputLog } from "./output-log.js";
import { signIn, signOut } from "./sign-in.js";
import { createStatusBar } from "./status-bar.js";
import { UriEventHandler } from "./uri-handler.js";
import { schedulePresenceRefresh } from "./views/presence-refresh.js";
import { RemoteTree } from "./views/tree-node.js";
import { accountRows, meshRows, sessionRows, tokenRows } from "./views/trees.js";

declare const CLAUDEMESH_VERSION: string;

/** `claudemesh.apiUrl`, else CLAUDEMESH_API_URL, else the default — as the CLI resolves it. */
function apiUrlFrom(env: ReturnType<typeof readSdkEnv>): string {
  const setting = vscode.workspace.getConfiguration("claudemesh").get<string>("apiUrl")?.trim();
  return normalizeBaseUrl(setting || env.apiUrl || DEFAULT_API_URL);
}

/** The sidebar's trees, by view (`claudemesh.<name>`). */
export type TreeName = "account" | "sessions" | "tokens" | "meshes";

/** `extensions.getExtension('claudemesh.claudemesh').exports`: what the in-host tests read of the sidebar. */
export interface ClaudemeshExports {
  treeItems(tree: TreeName): Promise<vscode.TreeItem[]>;
  /** Loads the OS keychain module (if nothing has yet) and says whether it loaded in this host. */
  keychainModule(): Promise<KeychainModuleStatus>;
}

// Wiring only: identity, provider, status bar, trees and commands each live in their own file.
// Runs at start-up (onStartupFinished), so nothing here waits on the network or the disk.
export async function activate(context: vscode.ExtensionContext): Promise<ClaudemeshExports> {
  const channel = vscode.window.createOutputChannel("claudemesh", { log: true });
  const log = outputLog(channel);
  const env = readSdkEnv(process.env);
  const apiUrl = () => apiUrlFrom(env);
  // VS Code's own fetch follows its proxy settings, so the SDK adds no proxy agent of its own here.
  const hostFetch: typeof fetch = (input, init) => fetch(input, init);
  const api = (token?: string) =>
    ApiClient.create({
      baseUrl: apiUrl(),
      token,
      env,
      fetch: hostFetch,
      client: `claudemesh-vscode/${CLAUDEMESH_VERSION}`,
    });
  const keychainModule = nativeKeychainModule(context.extensionPath);
  const loadKeychain = packagedKeychain(keychainModule, log);
  // One store per server: auth.json keeps a login per server origin, and so does the keychain.
  const storeFor = (url: string) =>
    new CredentialStore({
      apiUrl: url,
      configDir: env.configDir,
      mode: env.tokenStore,
      loadKeychain,
      // The output channel is for support, in English like VS Code's own logs.
      onNotice: (notice) => log.warn(englishNotice(notice)),
    });
  const identity = new Identity({ store: storeFor(apiUrl()), envToken: env.token, api, log });
  const uriHandler = new UriEventHandler(log);
  const signInHere = () => signIn({ identity, api, uriHandler, log });

  const trees: Record<TreeName, RemoteTree> = {
    account: new RemoteTree(() => accountRows(identity, apiUrl()), "claudemesh.refresh"),
    sessions: new RemoteTree(() => sessionRows(identity), "claudemesh.refresh"),
    tokens: new RemoteTree(() => tokenRows(identity), "claudemesh.refresh"),
    meshes: new RemoteTree(() => meshRows(identity), "claudemesh.refresh"),
  };
  const refreshTrees = () => {
    for (const tree of Object.values(trees)) tree.refresh();
  };
  const signedInContext = (kind: string) =>
    vscode.commands.executeCommand("setContext", "claudemesh.signedIn", kind !== "signed_out" && kind !== "checking");

  context.subscriptions.push(
    channel,
    identity,
    createStatusBar(identity, apiUrl),
    vscode.authentication.registerAuthenticationProvider(
      PROVIDER_ID,
      "claudemesh",
      new ClaudemeshAuthenticationProvider({
        identity,
        signIn: signInHere,
        signOut: () => signOut({ identity, api, log }),
      }),
      { supportsMultipleAccounts: false },
    ),
    scheduleIdentityChecks({ identity, onDidChangeWindowState: vscode.window.onDidChangeWindowState }),
    schedulePresenceRefresh({
      refresh: () => trees.meshes.refresh(),
      wanted: () => vscode.window.state.focused && identity.state.kind === "signed_in",
    }),
    ...Object.entries(trees).map(([name, tree]) => vscode.window.registerTreeDataProvider(`claudemesh.${name}`, tree)),
    ...Object.values(trees),
    uriHandler,
    vscode.window.registerUriHandler(uriHandler),
    ...registerCommands({ identity, api, apiUrl, refreshTrees, signIn: signInHere, log }),
    identity.onDidChange((state) => {
      void signedInContext(state.kind);
      refreshTrees();
    }),
    // A new server takes effect at once, no reload: its store, its identity, its trees.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration("claudemesh.apiUrl")) return;
      log.info(`server ${apiUrl()} (claudemesh.apiUrl changed)`);
      identity.useStore(storeFor(apiUrl()));
      void identity.refresh("the server changed");
      refreshTrees();
    }),
  );
  const window = [vscode.env.uiKind === vscode.UIKind.Web ? "web" : "desktop"];
  if (vscode.env.remoteName) window.push(`remote ${vscode.env.remoteName}`);
  log.info(`claudemesh ${CLAUDEMESH_VERSION} in ${vscode.env.appName} (${window.join(", ")}); server ${apiUrl()}`);
  // Nothing waits on the network: the first check and the watcher start in the background.
  void identity.settled().then((state) => signedInContext(state.kind));
  identity.watch().catch((error: unknown) => log.warn(`not following the shared credential: ${describeError(error)}`));
  return {
    treeItems: async (tree) => (await trees[tree].getChildren()).map((node) => node.treeItem()),
    keychainModule: () => keychainModule.status(),
  };
}

export function deactivate(): void {}
