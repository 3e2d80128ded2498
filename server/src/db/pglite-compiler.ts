import { setFlagsFromString } from "node:v8";

/**
 * Keeps PGlite's WebAssembly on V8's baseline compiler (Liftoff). By default V8
 * recompiles Postgres's hot functions with TurboFan, and the optimised code and
 * the compiler's memory stay resident: measured on the idle server, 215 MB with
 * tier-up and 156 MB without, and 250 MB against 190 MB after a 10 s whoami load,
 * at 4 % fewer whoami requests/s. For the process that embeds the database
 * (main.ts); call it before the first PGlite opens, as V8 reads it at compile time.
 *
 * `--liftoff-only` alone was enough on Node 20. Node 24's V8 tiers up through
 * dynamic tiering whatever it says (its implications are applied only when flags
 * are given at start-up), so dynamic tiering is turned off too: idle on PGlite,
 * 245 MB before, 178 MB after (issue 27's bench).
 */
export function keepPgliteOnBaselineCompiler(): void {
  setFlagsFromString("--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering");
}
