import { afterEach, describe, expect, it, vi } from "vitest";
import { log, logLine } from "./log.js";

describe("server log lines", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps a message with line breaks and escape sequences on one line", () => {
    const line = logLine("GET /x\r\n[claudemesh] forged\u001b[2J\u0085\u2028");
    expect(line).toBe("[claudemesh] GET /x\\r\\n[claudemesh] forged\\u001b[2J\\u0085\\u2028");
    expect(line.split(/\r\n|\r|\n|\u0085|\u2028/)).toHaveLength(1);
  });

  it("redacts tokens before writing them", () => {
    const token = `cm_pat_${"a".repeat(58)}`;
    expect(logLine(`failed for ${token}`)).not.toContain(token);
  });

  it("writes info to stdout and warnings and errors to stderr, through logLine", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    log.info("a\nb");
    log.warn("c");
    log.error("d");
    expect(out).toHaveBeenCalledWith("[claudemesh] a\\nb");
    expect(warn).toHaveBeenCalledWith("[claudemesh] c");
    expect(error).toHaveBeenCalledWith("[claudemesh] d");
  });
});
