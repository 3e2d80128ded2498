import {
  type ApiClient,
  AuthorizationRequest,
  type BrowserUrlRefusal,
  ClaudemeshError,
  type CredentialSource,
  checkBrowserUrl,
  type DeviceCodeRequest,
  DeviceFlow,
  EDITOR_EXTENSION_ID,
  escapeUnsafeCharacters,
  isSignInRedirect,
  type LoginResult,
  redirectTarget,
} from "@claudemesh/sdk";
import * as vscode from "vscode";
import type { Log } from "./output-log.js";
import type { UriEventHandler } from "./uri-handler.js";

/** How long a browser sign-in may take before it gives up, as the CLI's `login --web`. */
export const REDIRECT_TIMEOUT_MS = 5 * 60_000;

/** What every flow needs: a client without a token, how this machine introduces itself, the log. */
export interface FlowDeps {
  api: ApiClient;
  device: DeviceCodeRequest;
  log: Log;
}

/** One way to obtain a token (VS Code's github-authentication has one object per flow too); keeping it is the caller's job. */
export interface SignInFlow {
  /** For the log. */
  readonly label: string;
  /** What auth.json records about how the token was obtained. */
  readonly source: CredentialSource;
  run(): Promise<LoginResult>;
}

/**
 * `<scheme>://claudemesh.claudemesh/did-authenticate` as the browser can reach
 * it from here, through `env.asExternalUri` (VS Code's GitHub sign-in does the
 * same): on the desktop still a `vscode://` link (with the window's id), remote
 * windows included, since the link opens the local editor; the web workbench's
 * `/callback` page in code-server. Undefined when it becomes a web address the
 * server will not send codes to (SECURITY.md).
 */
export async function editorCallbackUri(log: Log): Promise<string | undefined> {
  const own = vscode.Uri.parse(`${vscode.env.uriScheme}://${EDITOR_EXTENSION_ID}/did-authenticate`);
  const external = (await vscode.env.asExternalUri(own)).toString(true);
  if (isSignInRedirect(external)) return external;
  log.info(`the browser would come back through ${redirectTarget(external)}, which the server refuses; using a code`);
  return undefined;
}

/**
 * The browser sends the sign-in back to the editor: open the approval page with
 * a PKCE challenge, wait for the URI handler to receive the code, trade it for a
 * token. Cancellable, with progress; gives up after five minutes.
 */
export class RedirectFlow implements SignInFlow {
  readonly label = "browser redirect";
  readonly source = "browser";
  readonly #deps: FlowDeps & { uriHandler: UriEventHandler; redirectUri: string };

  constructor(deps: FlowDeps & { uriHandler: UriEventHandler; redirectUri: string }) {
    this.#deps = deps;
  }

  async run(): Promise<LoginResult> {
    const { api, device, log, uriHandler, redirectUri } = this.#deps;
    const request = AuthorizationRequest.create({ baseUrl: api.baseUrl, redirectUri, device });
    return await withSignInProgress(async (progress, abort) => {
      const timer = setTimeout(
        () => abort.abort(new ClaudemeshError("timeout", vscode.l10n.t("The browser did not come back in time."))),
        REDIRECT_TIMEOUT_MS,
      );
      try {
        progress.report({ message: vscode.l10n.t("Approve in the browser; it brings you back here.") });
        const answered = uriHandler.waitFor((query) => request.read(query).kind !== "foreign", abort.signal);
        answered.catch(() => {}); // awaited below; a refusal to open must not leave it unhandled
        log.info(`browser sign-in: the code goes to ${redirectTarget(redirectUri)}`);
        if (!(await openServerPage(request.url, api.baseUrl))) {
          throw new ClaudemeshError("cancelled", vscode.l10n.t("The browser was not opened."));
        }
        const answer = request.read(await answered);
        if (answer.kind === "denied") {
          throw new ClaudemeshError("access_denied", vscode.l10n.t("The sign-in was denied in the browser."));
        }
        if (answer.kind !== "code") {
          throw new ClaudemeshError("bad_response", vscode.l10n.t("The browser came back without a sign-in code."));
        }
        return await request.exchange(api, answer.code, abort.signal);
      } finally {
        clearTimeout(timer);
        abort.abort(); // stops waiting for the browser if this ended any other way
      }
    });
  }
}

/**
 * The device code (RFC 8628): a notification shows the code, copies it and
 * opens the approval page on request, and a cancellable progress waits for the
 * browser's decision. Works wherever VS Code runs, since nothing comes back
 * through the browser.
 */
export class DeviceCodeFlow implements SignInFlow {
  readonly label = "device code";
  readonly source = "device-code";
  readonly #deps: FlowDeps;

  constructor(deps: FlowDeps) {
    this.#deps = deps;
  }

  async run(): Promise<LoginResult> {
    const { api, device, log } = this.#deps;
    const flow = new DeviceFlow({ api, device });
    return await withSignInProgress(async (progress, abort) => {
      return flow.run({
        signal: abort.signal,
        onEvent: (event) => {
          if (event.type !== "code") return;
          log.info(`device code sign-in: waiting for the approval at ${new URL(event.code.verification_url).origin}`);
          progress.report({
            message: vscode.l10n.t("Waiting for approval of code {0} in the browser", event.code.user_code),
          });
          // Not awaited: the notification may stay up after the browser has approved.
          void offerCode(event.code.user_code, event.code.verification_url_complete, api.baseUrl);
        },
      });
    });
  }
}

/** VS Code's cancellable "Signing in to claudemesh…" notification; its Cancel aborts the task's controller. */
function withSignInProgress<T>(
  task: (progress: vscode.Progress<{ message?: string }>, abort: AbortController) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t("Signing in to claudemesh…"),
      cancellable: true,
    },
    (progress, cancellation) => {
      const abort = new AbortController();
      cancellation.onCancellationRequested(() => abort.abort(new ClaudemeshError("cancelled", "Cancelled.")));
      return task(progress, abort);
    },
  );
}

/** The code, with a click to open the approval page (the code already filled in), copying the code on request. */
async function offerCode(userCode: string, url: string, serverUrl: string): Promise<void> {
  const copyAndOpen = vscode.l10n.t("Copy Code & Open Browser");
  const open = vscode.l10n.t("Open Browser");
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t("Your claudemesh code is {0}. Approve it in the browser to sign in.", userCode),
    copyAndOpen,
    open,
  );
  if (choice === copyAndOpen) await vscode.env.clipboard.writeText(userCode);
  if (choice === copyAndOpen || choice === open) await openServerPage(url, serverUrl);
}

/** Why a link is not opened, as the person reads it; `{0}` is the server in use. */
function refusalText(reason: BrowserUrlRefusal, server: string): string {
  switch (reason) {
    case "malformed":
      return vscode.l10n.t("The link from {0} is not written as a web address.", server);
    case "not_web":
      return vscode.l10n.t("The link from {0} is not a web page.", server);
    case "other_site":
      return vscode.l10n.t("The link leads away from {0}.", server);
  }
}

/**
 * Opens a page of the server in use (`serverUrl`) in the browser, and nothing
 * else: a link a server sent that leads elsewhere, or is no web page, is shown
 * escaped with a Copy Link button instead, for the person to judge (SECURITY.md).
 * Resolves to whether the browser was asked to open it.
 *
 * Given a Uri, VS Code opens `encodeURI(uri.toString(true))`, which decodes the
 * query: a code-server callback in `redirect_uri` loses its `&`s and arrives cut
 * short (seen in code-server 4.139). Given the string, the extension host passes
 * it on untouched (`extHostWindow.openUri` takes both; VS Code's own sign-ins pass strings).
 */
export async function openServerPage(url: string, serverUrl: string): Promise<boolean> {
  const check = checkBrowserUrl(url, serverUrl);
  if (check.ok) return vscode.env.openExternal(check.url as unknown as vscode.Uri);
  const shown = escapeUnsafeCharacters(url);
  const copy = vscode.l10n.t("Copy Link");
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      "Not opening the browser. {0} Open it yourself only if you trust it: {1}",
      refusalText(check.reason, new URL(serverUrl).origin),
      shown,
    ),
    copy,
  );
  if (choice === copy) await vscode.env.clipboard.writeText(shown);
  return false;
}
