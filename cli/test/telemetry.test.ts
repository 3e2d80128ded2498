import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TelemetryBatch } from "@claudemesh/sdk";
import { runCli } from "@claudemesh/test-support/run-cli";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TELEMETRY_NOTICE } from "../src/telemetry.js";

/** A real HTTP server standing in for the telemetry endpoint: it records what arrives. */
interface Recorder {
  url: string;
  requests: { path: string; authorization: string | undefined; body: string }[];
}

describe("telemetry", () => {
  let server: Server;
  const recorder: Recorder = { url: "", requests: [] };
  let configDir = "";
  let env: Record<string, string> = {};

  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      recorder.requests.push({ path: request.url ?? "", authorization: request.headers.authorization, body });
      response.writeHead(202, { "content-type": "application/json" }).end('{"accepted":1}');
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    recorder.requests.length = 0;
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-telemetry-"));
    env = { CLAUDEMESH_API_URL: recorder.url, CLAUDEMESH_CONFIG_DIR: configDir };
  });
  // A command's detached sender may still be writing its queue here when the test ends
  // (it gives up after 3 s): a file made mid-removal is ENOTEMPTY, which rm retries.
  afterEach(() => rm(configDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));

  /** Waits for the detached sender (or long enough to be sure nothing comes). */
  const settle = async (expected: number) => {
    for (let waited = 0; waited < 5000 && recorder.requests.length < expected; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (expected === 0) await new Promise((resolve) => setTimeout(resolve, 1500));
  };

  const queuePath = () => join(configDir, "telemetry-queue.jsonl");
  const queued = async () =>
    (await readFile(queuePath(), "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; at: string; properties: Record<string, unknown> });
  /** Backdates the queue, as if its events had waited over an hour. */
  const age = async () => {
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
    const lines = (await queued()).map((event) => JSON.stringify({ ...event, at: old }));
    await writeFile(queuePath(), `${lines.join("\n")}\n`, { mode: 0o600 });
  };

  it("says so once, queues the command's name, exit code and duration — nothing else — and sends when due", async () => {
    const first = await runCli(["completion", "bash"], env);
    expect(first.code).toBe(0);
    expect(await queued()).toEqual([
      expect.objectContaining({
        event: "cli.command.executed",
        properties: { command: "completion", exit_code: 0, duration_ms: expect.any(Number) },
      }),
    ]);
    const whoami = await runCli(["whoami"], env);
    expect(whoami.stderr).toContain(TELEMETRY_NOTICE);
    await settle(0);
    expect(recorder.requests).toEqual([]); // not due yet: one append per command, no process, no request

    await age();
    const again = await runCli(["whoami"], env);
    expect(again.stderr).not.toContain(TELEMETRY_NOTICE);
    await settle(1);
    expect(recorder.requests).toHaveLength(1);
    const [request] = recorder.requests;
    expect(request?.path).toBe("/api/telemetry");
    expect(request?.authorization).toBeUndefined();
    const events = TelemetryBatch.parse(JSON.parse(request?.body ?? "")).events;
    expect(events.map((event) => event.event)).toEqual([
      "cli.command.executed",
      "cli.api.error",
      "cli.command.executed",
      "cli.api.error",
      "cli.command.executed",
    ]);
    expect(events).toContainEqual(expect.objectContaining({ properties: { code: "auth_required" } }));
    expect(await queued()).toEqual([]);
  });

  it("sends nothing after `telemetry off`, and status says why", async () => {
    expect((await runCli(["telemetry", "off"], env)).code).toBe(0);
    await runCli(["completion", "bash"], env);
    await runCli(["whoami"], env);
    await settle(0);
    expect(recorder.requests).toEqual([]);
    expect(await queued()).toEqual([]);
    const status = await runCli(["telemetry", "status", "--json"], env);
    expect(JSON.parse(status.stdout)).toEqual({ enabled: false, decided_by: "setting" });
    const config = JSON.parse(await readFile(join(configDir, "config.json"), "utf8"));
    expect(config.telemetry.enabled).toBe(false);
  });

  it.each<Record<string, string>>([{ DO_NOT_TRACK: "1" }, { CLAUDEMESH_TELEMETRY: "0" }])(
    "sends nothing with %j, even when turned on",
    async (off) => {
      await runCli(["telemetry", "on"], env);
      await age(); // due: anything queued now would be sent
      const withOff = { ...env, ...off };
      const run = await runCli(["completion", "bash"], withOff);
      expect(run.stderr).not.toContain(TELEMETRY_NOTICE);
      await settle(0);
      expect(recorder.requests).toEqual([]);
      expect((await queued()).map((event) => event.properties.command)).toEqual(["telemetry on"]);
      const status = await runCli(["telemetry", "status", "--json"], withOff);
      expect(JSON.parse(status.stdout)).toEqual({ enabled: false, decided_by: "environment" });
    },
  );

  it("never delays a command when the server does not answer", async () => {
    // Accepts, never answers: the sender waits, then gives up and closes its connection.
    let senderGaveUp = false;
    let senderClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      senderClosed = resolve;
    });
    const silent = createServer(() => {});
    silent.on("connection", (socket) =>
      socket.on("close", () => {
        senderGaveUp = true;
        senderClosed();
      }),
    );
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    try {
      await runCli(["completion", "bash"], env);
      await age();
      const run = await runCli(["completion", "bash"], {
        ...env,
        CLAUDEMESH_API_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      });
      expect(run.code).toBe(0);
      // The command is done while the sender still waits for an answer; a command that waited for it
      // would end only after the sender gave up (3 s) and closed its connection.
      expect(senderGaveUp).toBe(false);
      await closed;
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
