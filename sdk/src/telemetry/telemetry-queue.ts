import { appendFile, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type TelemetryBatch, TelemetryBatch as TelemetryBatchSchema } from "../contracts/telemetry.js";
import { defaultConfigDir } from "../credentials/file-store.js";
import { ensurePrivateDir } from "../files/private-files.js";

type QueuedEvent = TelemetryBatch["events"][number];

/** Send once this many events wait… */
export const FLUSH_AFTER_EVENTS = 20;
/** …or the oldest has waited this long. */
export const FLUSH_AFTER_MS = 60 * 60 * 1000;
/** Past this many, the oldest are dropped (a server that is never reachable must not fill the disk). */
export const MAX_QUEUED_EVENTS = 500;

/**
 * `~/.claudemesh/telemetry-queue.jsonl`: usage events wait here, one JSON line
 * each, so a command costs one append and only every so often starts a
 * sender. The sender claims the file by renaming it, so two never send the
 * same events.
 */
export class TelemetryQueue {
  readonly dir: string;
  readonly path: string;

  constructor(options: { configDir?: string } = {}) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "telemetry-queue.jsonl");
  }

  /** Appends events; true when it is time to send (enough events, or old enough ones). */
  async append(events: QueuedEvent[], now: Date): Promise<boolean> {
    await ensurePrivateDir(this.dir, () => {});
    await appendFile(this.path, events.map((event) => `${JSON.stringify(event)}\n`).join(""), { mode: 0o600 });
    const queued = await this.#read(this.path);
    const oldest = queued[0] ? Date.parse(queued[0].at) : now.getTime();
    return queued.length >= FLUSH_AFTER_EVENTS || now.getTime() - oldest >= FLUSH_AFTER_MS;
  }

  /** Takes every queued event out of the queue (the newest MAX_QUEUED_EVENTS of them). */
  async takeAll(): Promise<QueuedEvent[]> {
    const claimed = `${this.path}.${process.pid}.sending`;
    try {
      await rename(this.path, claimed);
    } catch {
      return []; // nothing queued, or another sender took it
    }
    const events = await this.#read(claimed);
    await unlink(claimed).catch(() => {});
    return events.slice(-MAX_QUEUED_EVENTS);
  }

  /** The valid lines of a queue file; a torn or foreign line is skipped, not fatal. */
  async #read(path: string): Promise<QueuedEvent[]> {
    let text = "";
    try {
      text = await readFile(path, "utf8");
    } catch {
      return [];
    }
    const events: QueuedEvent[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const parsed = TelemetryBatchSchema.shape.events.element.safeParse(JSON.parse(line));
        if (parsed.success) events.push(parsed.data);
      } catch {}
    }
    return events;
  }
}
