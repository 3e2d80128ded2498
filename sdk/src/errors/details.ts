import type { ClaudemeshError } from "../errors.js";

/** What a keychain call was doing when it failed. */
export type KeychainOperation = "read" | "write" | "delete";

/**
 * What went wrong, as data: the SDK never prints, so each door (the CLI's
 * catalogues, the extension's l10n) words a detail in its own language.
 * `reason` fields are the words of the OS or a library (an errno code,
 * D-Bus's message), quoted as they are.
 */
export type ErrorDetail =
  /** No answer at all: refused, unresolvable, reset (`reason` is the errno code or the OS's words). */
  | { kind: "unreachable"; origin: string; reason: string }
  | { kind: "no_answer_in_time"; origin: string }
  | { kind: "tls_rejected"; origin: string; reason: string }
  /** The keychain module (keytar) is not installed here; `reason` when it is there but did not load. */
  | { kind: "keychain_module_missing" }
  | { kind: "keychain_module_failed"; reason: string }
  | { kind: "keychain_refused"; operation: KeychainOperation; reason: string }
  /** The Secret Service (the keyring daemon) is not running: the usual headless Linux. */
  | { kind: "no_secret_service"; operation: KeychainOperation }
  /** No D-Bus session to reach a keychain through (SSH, containers, CI). */
  | { kind: "no_session_bus"; operation: KeychainOperation }
  | { kind: "keychain_timed_out"; operation: KeychainOperation; ms: number }
  /** CLAUDEMESH_TOKEN_STORE=file: the keychain is not to be used. */
  | { kind: "keychain_turned_off" }
  /** The login's keychain entry was left by an older claudemesh and cannot be paired with the account. */
  | { kind: "keychain_entry_unpaired"; server: string }
  | { kind: "keychain_entry_missing"; server: string }
  | { kind: "keychain_entry_foreign"; server: string }
  | { kind: "auth_file_without_token"; path: string }
  | { kind: "file_not_json"; path: string }
  /** `problem` is zod's (English) words for what is wrong with `field`. */
  | { kind: "file_invalid"; path: string; field: string; problem: string }
  | { kind: "file_is_link"; path: string }
  | { kind: "file_not_regular"; path: string }
  | { kind: "file_of_other_user"; path: string; uid: number }
  | { kind: "file_unreadable"; path: string; reason: string }
  | { kind: "folder_not_private"; path: string; mode: number }
  | { kind: "file_write_refused"; path: string; field: string; problem: string }
  | { kind: "file_locked"; path: string; lockPath: string; pid: number | undefined };

/**
 * Something the user should hear that is not an error (a fix made, a fallback
 * taken), as data for each door to word; reported through `onNotice`.
 */
export type Notice =
  | { kind: "mode_narrowed"; path: string; mode: number; wanted: number }
  | { kind: "mode_stuck"; path: string; mode: number; reason: string }
  | { kind: "unreadable_removed"; path: string }
  /** The keychain did not take a new login's token (`error` says why), so auth.json (`path`) keeps it. */
  | { kind: "keychain_fallback"; path: string; error: ClaudemeshError }
  /** An unreadable auth.json (`error` says why) was replaced whole by a new login. */
  | { kind: "auth_file_replaced"; error: ClaudemeshError };

const octal = (mode: number) => mode.toString(8);

/** Ends words from elsewhere (D-Bus, libsecret) with a full stop, so the next sentence reads as one. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * A detail in English: the SDK's own message for it (logs, `--json`, a door
 * with no words of its own for a newer detail).
 */
export function englishDetail(detail: ErrorDetail): string {
  switch (detail.kind) {
    case "unreachable":
      return `Cannot reach ${detail.origin} (${detail.reason}).`;
    case "no_answer_in_time":
      return `${detail.origin} did not answer in time.`;
    case "tls_rejected":
      return `The TLS certificate of ${detail.origin} was not accepted (${detail.reason}).`;
    case "keychain_module_missing":
      return "The OS keychain cannot be used here: its module, @github/keytar, is not installed.";
    case "keychain_module_failed":
      return `The OS keychain cannot be used here: its module did not load (${detail.reason}).`;
    case "keychain_refused":
      return `The OS keychain refused a ${detail.operation}: ${detail.reason}`;
    case "no_secret_service":
      return `The OS keychain refused a ${detail.operation}: no Secret Service is running (the keyring daemon is not started)`;
    case "no_session_bus":
      return `The OS keychain refused a ${detail.operation}: there is no D-Bus session to reach it through (as over SSH or in a container).`;
    case "keychain_timed_out":
      return `The OS keychain did not answer a ${detail.operation} within ${detail.ms} ms.`;
    case "keychain_turned_off":
      return "CLAUDEMESH_TOKEN_STORE=file";
    case "keychain_entry_unpaired":
      return `The OS keychain entry of the login for ${detail.server} was saved by an older claudemesh and cannot be told from another account's; it is not used.`;
    case "keychain_entry_missing":
      return `The token of the login for ${detail.server} is kept in the OS keychain, which did not return it (locked, or its entry was removed).`;
    case "keychain_entry_foreign":
      return `The OS keychain entry of the login for ${detail.server} holds another token than the one that login was saved with (replaced by another sign-in, or planted); it is not used.`;
    case "auth_file_without_token":
      return `Auth file corrupted (${detail.path} has no token).`;
    case "file_not_json":
      return `${detail.path} is not valid JSON; fix it or move it aside.`;
    case "file_invalid":
      return `${detail.path}: ${detail.field} ${detail.problem}; fix it or move it aside.`;
    case "file_is_link":
      return `${detail.path} is a symbolic link; claudemesh does not follow links for its private files. Remove it and try again.`;
    case "file_not_regular":
      return `${detail.path} is not a regular file; claudemesh keeps its private files only in regular files. Remove it and try again.`;
    case "file_of_other_user":
      return `${detail.path} belongs to another user (uid ${detail.uid}); claudemesh only reads private files you own. Remove it and try again.`;
    case "file_unreadable":
      return `Cannot read ${detail.path}: ${detail.reason}`;
    case "folder_not_private":
      return `${detail.path} must be private (0700) but is ${octal(detail.mode)}; fix its owner or mode.`;
    case "file_write_refused":
      return `Refusing to write ${detail.path}: ${detail.field} ${detail.problem}.`;
    case "file_locked":
      return (
        `Another claudemesh process${detail.pid ? ` (pid ${detail.pid})` : ""} is changing ${detail.path} and did not finish in time; ` +
        `try again in a moment. If no claudemesh is running, remove ${detail.lockPath}.`
      );
  }
}

/** A notice in English (for logs, and doors with no words of their own for it). */
export function englishNotice(notice: Notice): string {
  switch (notice.kind) {
    case "mode_narrowed":
      return `${notice.path} was readable by others (${octal(notice.mode)}); changed it to ${octal(notice.wanted)}.`;
    case "mode_stuck":
      return `${notice.path} is readable by others (${octal(notice.mode)}) and could not be changed: ${notice.reason}`;
    case "unreadable_removed":
      return `${notice.path} could not be read and was removed.`;
    case "keychain_fallback":
      return `${asSentence(notice.error.message)} The token is kept in ${notice.path} (mode 0600) instead.`;
    case "auth_file_replaced":
      return `${asSentence(notice.error.message)} It was replaced by this login.`;
  }
}
