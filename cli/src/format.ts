import type { CliSession } from "@claudemesh/sdk";
import type { Messages } from "./i18n/en.js";

// How dates and devices read in human output, the same in every command.

export function formatDate(iso: string, t: Messages): string {
  return t.date(iso);
}

/** "laptop · darwin · arm64", leaving out what the device did not say. */
export function deviceLabel(session: CliSession): string {
  return [session.device_name, session.device_os, session.device_arch].filter(Boolean).join(" · ");
}

export function lastUsed(session: CliSession, t: Messages): string {
  return session.last_used_at ? t.sessions.lastUsed(t.date(session.last_used_at)) : t.sessions.neverUsed;
}
