// Names as a hostile server (or an old config it wrote) would send them, and the
// check that none of their control, escape or bidi characters got through. The
// check lists the characters itself rather than reuse the SDK's sanitizer, so a
// gap in that sanitizer shows here instead of hiding behind it.

/** Every character `hostile` puts in a name; none may reach a terminal or an environment. */
export const FORBIDDEN: readonly string[] = [
  "\u001b", // ESC: starts CSI and OSC sequences
  "\u0007", // BEL: ends an OSC sequence
  "\u0008", // backspace
  "\r", // back to the start of the line, over what was printed
  "\u009b", // C1 CSI
  "\u009d", // C1 OSC
  "\u009c", // C1 string terminator
  "\u2028", // line separator
  "\u202e", // right-to-left override
  "\u2066", // left-to-right isolate
  "\u200f", // right-to-left mark
];

/**
 * `letters`, cut in two by a right-to-left override and wrapped in a window-title
 * change (OSC 0), a clipboard write (OSC 52), a screen clear (CSI), a carriage
 * return over a fake success line, C1 controls and bidi isolates.
 */
export function hostile(letters: string): string {
  const middle = Math.ceil(letters.length / 2);
  return [
    "\u001b]0;pwned\u0007",
    "\u001b]52;c;cm0gLXJmIH4K\u0007",
    letters.slice(0, middle),
    "\u202e",
    letters.slice(middle),
    "\u001b[2J\u001b[H",
    "\r✔ Signed in as root\u0008",
    "\u009d0;title\u009c\u009b31m",
    "\u2028\u2066\u200f",
  ].join("");
}

/** What a name must read as once its forbidden characters are gone. */
export function withoutForbidden(text: string): string {
  let out = text;
  for (const character of FORBIDDEN) out = out.replaceAll(character, "");
  return out;
}

/** The forbidden characters in `text`, as escapes (so a failure prints legibly); empty when clean. */
export function forbiddenIn(text: string): string[] {
  return FORBIDDEN.filter((character) => text.includes(character)).map(
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
