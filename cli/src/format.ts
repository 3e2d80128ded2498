import type { CliSession, TokenSummary } from "@claudemesh/sdk";
import type { Messages } from "./i18n/en.js";

// How dates and devices read in human output, the same in every command.

export function formatDate(iso: string, t: Messages): string {
  return t.date(iso);
}

/** "laptop · darwin · arm64", leaving out what the device did not say. */
export function deviceLabel(session: CliSession): string {
  return [session.device_name, session.device_os, session.device_arch].filter(Boolean).join(" · ");
}

/**
 * The device a session says it is, and the address the server saw it sign in
 * from: the device fields are whatever the requester chose, the address is not,
 * so a phished session cannot pass for one's own on the device name alone.
 */
export function sessionOrigin(session: CliSession, t: Messages): string {
  return [
    deviceLabel(session),
    session.ip_address ? t.sessions.from(session.ip_address) : "",
    session.flow ? t.sessions.via[session.flow] : "",
  ]
    .filter(Boolean)
    .join("  ");
}

/** Where a personal access token was made: how, in which browser, from which address (what the server recorded). */
export function tokenOrigin(token: TokenSummary, t: Messages): string {
  return [
    token.flow ? t.sessions.via[token.flow] : "",
    token.browser ? t.sessions.madeIn(token.browser) : "",
    token.ip_address ? t.sessions.from(token.ip_address) : "",
  ]
    .filter(Boolean)
    .join(" ");
}

export function lastUsed(session: CliSession, t: Messages): string {
  return session.last_used_at ? t.sessions.lastUsed(t.date(session.last_used_at)) : t.sessions.neverUsed;
}
