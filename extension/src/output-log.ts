import { redactTokens } from "@claudemesh/sdk";
import type * as vscode from "vscode";

/** What the extension tells the "claudemesh" output channel, for support. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A log that says nothing, for pieces built without one (tests, the benchmark's fakes). */
export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** The output channel as a Log: every line passes through redactTokens, so no token reaches it whatever a caller passes. */
export function outputLog(channel: Pick<vscode.LogOutputChannel, "info" | "warn" | "error">): Log {
  return {
    info: (message) => channel.info(redactTokens(message)),
    warn: (message) => channel.warn(redactTokens(message)),
    error: (message) => channel.error(redactTokens(message)),
  };
}

/** An error as one line for the log. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
