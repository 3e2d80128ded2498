import { escapeUnsafeCharacters } from "@claudemesh/sdk/contracts";
import { redactTokens } from "@claudemesh/sdk/token";

/**
 * What the server writes for one event: `[claudemesh] ` and the message, with
 * tokens redacted and control characters escaped. Messages quote text from
 * requests (names, subjects, errors), and one line must stay one line: a CR LF
 * inside it would let the sender write a line of their own.
 */
export function logLine(message: string): string {
  return `[claudemesh] ${escapeUnsafeCharacters(redactTokens(message))}`;
}

/** The server's log: info on stdout, warnings and errors on stderr, each call one line. */
export const log = {
  info: (message: string): void => console.log(logLine(message)),
  warn: (message: string): void => console.warn(logLine(message)),
  error: (message: string): void => console.error(logLine(message)),
};
