import { config } from "zod";

/**
 * For clients, which check a handful of answers per process: zod then checks
 * each one directly instead of first generating and compiling a parser for its
 * schema, which costs more than the one check it would speed up (~6 ms of a
 * `claudemesh whoami`). Servers, which parse all day, keep the generated parsers.
 */
export function validateWithoutCodegen(): void {
  config({ jitless: true });
}
