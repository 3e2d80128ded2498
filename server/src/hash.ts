import { createHash } from "node:crypto";

/**
 * SHA-256 as hex: how tokens and codes are stored and looked up. They carry
 * 256 (device codes, tokens) random bits, so a slow hash would add nothing.
 */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
