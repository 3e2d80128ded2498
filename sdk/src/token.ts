import { crc32 } from "node:zlib";
import { ClaudemeshError } from "./errors.js";

// Token format: cm_<kind>_<random><checksum>
//   random   — 32 random bytes as lowercase RFC 4648 base32 (52 characters)
//   checksum — the low 30 bits of CRC32(random) as 6 base32 characters, so a
//              mistyped token is caught before any request and secret scanners
//              can verify a match offline (GitHub's tokens do the same with base62).

/** The two kinds of claudemesh token. */
export type TokenKind = "session" | "pat";

const PREFIX: Record<TokenKind, string> = { session: "cm_session_", pat: "cm_pat_" };
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const RANDOM_BYTES = 32;
const RANDOM_CHARS = 52;
const CHECKSUM_CHARS = 6;
const SHAPE = new RegExp(`^cm_(session|pat)_([a-z2-7]{${RANDOM_CHARS}})([a-z2-7]{${CHECKSUM_CHARS}})$`);

/**
 * Finds claudemesh tokens in text (for secret scanning); documented in the README.
 *
 * @example
 * const leaks = text.match(TOKEN_SCAN_REGEX);
 */
export const TOKEN_SCAN_REGEX = /cm_(session|pat)_[a-z0-9]{32,}/g;

/**
 * Makes a new random token of the given kind. Server-side only: the raw value
 * is shown once and only its hash is stored.
 *
 * @example
 * const token = mintToken("pat"); // "cm_pat_…"
 */
export function mintToken(kind: TokenKind): string {
  const random = base32(globalThis.crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  return `${PREFIX[kind]}${random}${checksum(random)}`;
}

/** A token that passed the offline checks: its kind is known and its checksum matches. */
export interface ParsedToken {
  kind: TokenKind;
  token: string;
}

/**
 * Checks a token's shape and checksum without any request.
 * Surrounding whitespace (a pasted newline) is forgiven; anything else is
 * `invalid_token_format`.
 *
 * @example
 * parseToken("cm_pat_…").kind; // "pat"
 */
export function parseToken(raw: string, expected?: TokenKind): ParsedToken {
  const token = raw.trim();
  const match = SHAPE.exec(token);
  const want = expected ? `${PREFIX[expected]}…` : "cm_pat_… or cm_session_…";
  if (!match) {
    throw new ClaudemeshError("invalid_token_format", `Invalid token format (expected ${want})`);
  }
  const [, kind, random, sum] = match as unknown as [string, TokenKind, string, string];
  if (checksum(random) !== sum) {
    throw new ClaudemeshError(
      "invalid_token_format",
      "Invalid token: its checksum does not match (was it copied whole?)",
    );
  }
  if (expected && kind !== expected) {
    throw new ClaudemeshError("invalid_token_format", `Invalid token format (expected ${want})`);
  }
  return { kind, token };
}

/** True when `parseToken` would accept the value. */
export function isWellFormedToken(raw: string): boolean {
  try {
    parseToken(raw);
    return true;
  } catch {
    return false;
  }
}

/**
 * A token safe to print or log: its prefix and the first four characters of
 * its random part (20 of 256 bits), enough to tell tokens apart.
 *
 * @example
 * redactToken("cm_pat_abcdefgh…"); // "cm_pat_abcd…"
 */
export function redactToken(token: string): string {
  const prefix = /^cm_(?:session|pat)_/i.exec(token)?.[0] ?? "";
  return `${prefix}${token.slice(prefix.length, prefix.length + 4)}…`;
}

// Anything shaped like one of our tokens, even mistyped or cut short.
const TOKEN_LIKE = /cm_(?:session|pat)_[a-z0-9]{8,}/gi;

/** True when the text holds something shaped like a token (even a mistyped one). */
export function looksLikeToken(text: string): boolean {
  // search() ignores the global flag's lastIndex, so the one pattern serves here and in redactTokens.
  return text.search(TOKEN_LIKE) !== -1;
}

/**
 * Throws when a token was given where a session or token id belongs, before it
 * is sent anywhere (a URL path ends up in proxy and server access logs).
 */
export function refuseTokenAsId(id: string): void {
  if (!looksLikeToken(id)) return;
  throw new ClaudemeshError(
    "invalid_input",
    `That is a token (${redactToken(id)}), not its id; \`claudemesh tokens list\` and \`claudemesh sessions list\` show ids.`,
  );
}

/**
 * Text safe to print or log: every token in it redacted. Error messages and
 * logs pass through this, since a token can arrive where an id was expected.
 *
 * @example
 * redactTokens(`No token ${raw}`); // "No token cm_pat_abcd…"
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_LIKE, redactToken);
}

function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function checksum(random: string): string {
  // The random part is ASCII, so CRC32 of the string (as UTF-8) is CRC32 of its bytes.
  let value = crc32(random) & 0x3fffffff;
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i += 1) {
    out = ALPHABET[value & 31] + out;
    value >>>= 5;
  }
  return out;
}
