// The pieces of the `vscode` API the extension touches, in memory, so tests can
// see what it registered and showed, and answer its prompts. Same shapes as the
// real API (only what is used); the real extension host runs the in-editor suite.

type Handler = (...args: never[]) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void = () => {}) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const item of items) item.dispose();
    });
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  #listeners = new Set<(value: T) => void>();
  event = (listener: (value: T) => void) => {
    this.#listeners.add(listener);
    return new Disposable(() => this.#listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }
  dispose(): void {
    this.#listeners.clear();
  }
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export class TreeItem {
  description?: string;
  tooltip?: string;
  contextValue?: string;
  iconPath?: ThemeIcon;
  id?: string;
  command?: { command: string; title: string };
  constructor(
    readonly label: string,
    readonly collapsibleState = TreeItemCollapsibleState.None,
  ) {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ProgressLocation {
  Notification = 15,
}
export enum UIKind {
  Desktop = 1,
  Web = 2,
}

/** A parsed URI with the parts handlers read; `toString` gives back what was parsed. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
    private readonly text: string,
  ) {}
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.slice(0, -1), url.host, url.pathname, url.search.slice(1), url.hash.slice(1), value);
  }
  toString(_skipEncoding?: boolean): string {
    return this.text;
  }
}

/** The translations l10n.t reads, as VS Code loads `l10n/bundle.l10n.<locale>.json`; empty = English. */
export const l10nBundle = new Map<string, string>();

export const l10n = {
  t: (message: string, ...args: unknown[]) =>
    (l10nBundle.get(message) ?? message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};

// --- what the extension did, for tests to read ---

export const registeredCommands = new Map<string, Handler>();
export const contextKeys = new Map<string, unknown>();
export const authProviders = new Map<string, { label: string; provider: unknown }>();
export const treeProviders = new Map<string, unknown>();
export const statusBarItems: StatusBarItem[] = [];
export const messages: { kind: "info" | "warning" | "error"; message: string; items: string[] }[] = [];
export const openedUrls: string[] = [];
export const terminals: { name: string; sent: string[] }[] = [];
export const clipboardText = { value: "" };
export const settings = new Map<string, unknown>();
/** Every line the extension logged, as "level message". */
export const outputLines: string[] = [];
export const uriHandlers: { handleUri(uri: Uri): unknown }[] = [];
/** Each progress notification shown: its title, what it reported, and its Cancel button. */
export const progressRuns: { title: string; messages: string[]; cancel(): void }[] = [];
/** Fire to tell the extension the window gained or lost focus. */
export const windowStateChanges = new EventEmitter<{ focused: boolean; active: boolean }>();
/** What workspace.onDidChangeConfiguration delivers; fired by changeSetting. */
export const configurationChanges = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

/** Changes a setting (`claudemesh.apiUrl`) as the Settings editor does, and tells the extension. */
export function changeSetting(name: string, value: unknown): void {
  settings.set(name, value);
  configurationChanges.fire({ affectsConfiguration: (section) => name === section || name.startsWith(`${section}.`) });
}

/** How tests answer prompts: each returns the chosen item or typed text (undefined = dismissed). */
export const answers = {
  message: (_message: string, _items: string[]): string | undefined => undefined,
  inputBox: (_options: { validateInput?: (value: string) => unknown }): string | undefined => undefined,
  quickPick: <T>(items: T[]): T | undefined => items[0],
  /** What env.asExternalUri makes of a URI (desktop VS Code: the same URI). */
  externalUri: (uri: Uri): Uri => uri,
  /** What the browser does with a URL env.openExternal opens; false = the person declined to open it. */
  openExternal: (_url: string): boolean => true,
};

export function resetFake(): void {
  for (const collection of [registeredCommands, contextKeys, authProviders, treeProviders, settings, l10nBundle])
    collection.clear();
  statusBarItems.length = 0;
  outputLines.length = 0;
  uriHandlers.length = 0;
  messages.length = 0;
  openedUrls.length = 0;
  terminals.length = 0;
  clipboardText.value = "";
  answers.message = () => undefined;
  answers.inputBox = () => undefined;
  answers.quickPick = (items) => items[0];
  answers.externalUri = (uri) => uri;
  answers.openExternal = () => true;
  progressRuns.length = 0;
}

export const commands = {
  registerCommand(id: string, handler: Handler) {
    if (registeredCommands.has(id)) throw new Error(`command '${id}' already exists`);
    registeredCommands.set(id, handler);
    return new Disposable(() => registeredCommands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]) {
    if (id === "setContext") {
      contextKeys.set(String(args[0]), args[1]);
      return undefined;
    }
    const handler = registeredCommands.get(id);
    if (!handler) throw new Error(`command '${id}' not found`);
    return (handler as (...a: unknown[]) => unknown)(...args);
  },
};

export class StatusBarItem {
  text = "";
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  backgroundColor: ThemeColor | undefined;
  visible = false;
  constructor(readonly id: string) {}
  show() {
    this.visible = true;
  }
  dispose() {
    this.visible = false;
  }
}

function message(kind: "info" | "warning" | "error") {
  return async (text: string, ...rest: unknown[]) => {
    const items = rest.filter((item): item is string => typeof item === "string");
    messages.push({ kind, message: text, items });
    return answers.message(text, items);
  };
}

export const window = {
  state: { focused: true, active: true },
  onDidChangeWindowState: windowStateChanges.event,
  createOutputChannel(_name: string, _options: { log: true }) {
    const line = (level: string) => (message: string) => void outputLines.push(`${level} ${message}`);
    return { info: line("info"), warn: line("warn"), error: line("error"), show: () => {}, dispose: () => {} };
  },
  registerUriHandler(handler: { handleUri(uri: Uri): unknown }) {
    uriHandlers.push(handler);
    return new Disposable(() => uriHandlers.splice(uriHandlers.indexOf(handler), 1));
  },
  showInformationMessage: message("info"),
  showWarningMessage: message("warning"),
  showErrorMessage: message("error"),
  async showInputBox(options: { validateInput?: (value: string) => unknown }) {
    return answers.inputBox(options);
  },
  async showQuickPick<T>(items: T[]) {
    return answers.quickPick(items);
  },
  async withProgress<R>(
    options: { title?: string },
    task: (
      progress: { report(value: { message?: string }): void },
      token: { onCancellationRequested(listener: () => void): Disposable },
    ) => Promise<R>,
  ): Promise<R> {
    const listeners = new Set<() => void>();
    const run = {
      title: options.title ?? "",
      messages: [] as string[],
      cancel: () => {
        for (const listener of listeners) listener();
      },
    };
    progressRuns.push(run);
    return task(
      { report: (value) => void (value.message && run.messages.push(value.message)) },
      {
        onCancellationRequested: (listener) => {
          listeners.add(listener);
          return new Disposable(() => listeners.delete(listener));
        },
      },
    );
  },
  createStatusBarItem(id: string) {
    const item = new StatusBarItem(id);
    statusBarItems.push(item);
    return item;
  },
  registerTreeDataProvider(id: string, provider: unknown) {
    treeProviders.set(id, provider);
    return new Disposable(() => treeProviders.delete(id));
  },
  createTerminal(options: { name: string }) {
    const terminal = { name: options.name, sent: [] as string[] };
    terminals.push(terminal);
    return { show: () => {}, sendText: (text: string) => terminal.sent.push(text) };
  },
};

export const env = {
  appName: "Visual Studio Code",
  uriScheme: "vscode",
  uiKind: UIKind.Desktop,
  remoteName: undefined as string | undefined,
  async asExternalUri(uri: Uri) {
    return answers.externalUri(uri);
  },
  clipboard: {
    async writeText(text: string) {
      clipboardText.value = text;
    },
  },
  async openExternal(uri: { toString(): string }) {
    openedUrls.push(uri.toString());
    return answers.openExternal(uri.toString());
  },
};

export const workspace = {
  getConfiguration(section: string) {
    return { get: <T>(key: string) => settings.get(`${section}.${key}`) as T | undefined };
  },
  onDidChangeConfiguration: configurationChanges.event,
};

export const authentication = {
  registerAuthenticationProvider(id: string, label: string, provider: unknown) {
    authProviders.set(id, { label, provider });
    return new Disposable(() => authProviders.delete(id));
  },
};
