import type * as vscode from "vscode";
import type { Identity } from "./identity.js";

/** How often a window asks the server again while nothing else prompted it. */
export const RECHECK_EVERY_MS = 5 * 60_000;
/** A check older than this is worth repeating when the window regains focus. */
export const STALE_AFTER_MS = 60_000;

export interface IdentityChecksDeps {
  identity: Pick<Identity, "refresh" | "checkedAt">;
  onDidChangeWindowState: vscode.Event<vscode.WindowState>;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Runs `tick` every `ms`; tests pass one they fire by hand. */
  every?: (ms: number, tick: () => void) => vscode.Disposable;
}

/**
 * When the identity is checked besides start-up, a change to the shared
 * credential (Identity.watch) and a 401 (Identity.call): when the window
 * regains focus after a while, and every few minutes. Reading the sessions
 * never checks.
 */
export function scheduleIdentityChecks(deps: IdentityChecksDeps): vscode.Disposable {
  const now = deps.now ?? Date.now;
  const every = deps.every ?? repeat;
  const stale = () => {
    const checkedAt = deps.identity.checkedAt;
    return checkedAt !== undefined && now() - checkedAt >= STALE_AFTER_MS;
  };
  const focus = deps.onDidChangeWindowState((state) => {
    if (state.focused && stale()) void deps.identity.refresh("the window regained focus");
  });
  const timer = every(RECHECK_EVERY_MS, () => {
    if (stale()) void deps.identity.refresh("the periodic check");
  });
  return {
    dispose: () => {
      focus.dispose();
      timer.dispose();
    },
  };
}

/** Runs `tick` every `ms` on an unref'd timer, until disposed. */
export function repeat(ms: number, tick: () => void): vscode.Disposable {
  const timer = setInterval(tick, ms);
  timer.unref(); // never what keeps a host alive
  return { dispose: () => clearInterval(timer) };
}
