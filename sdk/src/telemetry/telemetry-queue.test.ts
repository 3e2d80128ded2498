import { appendFile, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FLUSH_AFTER_EVENTS, FLUSH_AFTER_MS, MAX_QUEUED_EVENTS, TelemetryQueue } from "./telemetry-queue.js";

const event = (at: Date, command = "whoami") => ({
  event: "cli.command.executed" as const,
  at: at.toISOString(),
  properties: { command },
});

describe("TelemetryQueue", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "claudemesh-queue-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is due after enough events, or once the oldest is an hour old", async () => {
    const now = new Date();
    const queue = new TelemetryQueue({ configDir: dir });
    for (let i = 1; i < FLUSH_AFTER_EVENTS; i += 1) expect(await queue.append([event(now)], now)).toBe(false);
    expect(await queue.append([event(now)], now)).toBe(true);
    expect((await stat(queue.path)).mode & 0o777).toBe(0o600);

    const aged = new TelemetryQueue({ configDir: join(dir, "aged") });
    expect(await aged.append([event(now)], now)).toBe(false);
    expect(await aged.append([event(now)], new Date(now.getTime() + FLUSH_AFTER_MS))).toBe(true);
  });

  it("hands its events out once, skipping torn lines and keeping only the newest", async () => {
    const now = new Date();
    const queue = new TelemetryQueue({ configDir: dir });
    await queue.append(
      Array.from({ length: MAX_QUEUED_EVENTS + 5 }, (_, i) => event(now, `c${i}`)),
      now,
    );
    await appendFile(queue.path, '{"event":"cli.command.exec');
    const taken = await queue.takeAll();
    expect(taken).toHaveLength(MAX_QUEUED_EVENTS);
    expect(taken.at(-1)?.properties.command).toBe(`c${MAX_QUEUED_EVENTS + 4}`);
    expect(await queue.takeAll()).toEqual([]);
  });
});
