/**
 * A sentence from elsewhere (the server, the SDK, the OS) set inside another
 * one, in brackets or before a semicolon: without its closing full stop, so
 * "(Cannot reach it (ECONNREFUSED).);" reads "(Cannot reach it (ECONNREFUSED));".
 */
export function clause(sentence: string): string {
  return sentence.trim().replace(/\.+$/, "");
}
