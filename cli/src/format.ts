import type { CliSession } from "@claudemesh/sdk";

// How dates and devices read in human output, the same in every command.

export function formatDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** "laptop · darwin · arm64", leaving out what the device did not say. */
export function deviceLabel(session: CliSession): string {
  return [session.device_name, session.device_os, session.device_arch].filter(Boolean).join(" · ");
}

export function lastUsed(session: CliSession): string {
  return session.last_used_at ? `last used ${formatDate(session.last_used_at)}` : "never used";
}
