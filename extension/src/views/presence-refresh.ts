import type * as vscode from "vscode";
import { repeat } from "../identity-checks.js";

/** How often the Meshes tree asks again who is online: once a minute, two small reads per expanded mesh. */
export const PRESENCE_REFRESH_MS = 60_000;

export interface PresenceRefreshDeps {
  /** Reloads the Meshes tree (VS Code then re-reads the meshes that are expanded). */
  refresh: () => void;
  /** Whether a refresh is worth it now: signed in, and the window in front. */
  wanted: () => boolean;
  /** Runs `tick` every `ms`; tests pass one they fire by hand. */
  every?: (ms: number, tick: () => void) => vscode.Disposable;
}

/**
 * Keeps presence in the Meshes tree fresh without loading the server: a timer
 * that does nothing while the window is in the background or signed out.
 */
export function schedulePresenceRefresh(deps: PresenceRefreshDeps): vscode.Disposable {
  return (deps.every ?? repeat)(PRESENCE_REFRESH_MS, () => {
    if (deps.wanted()) deps.refresh();
  });
}
