import { fileURLToPath } from "node:url";
import { NODE24_INSTALL_TIMEOUT, node24, SKIP_NODE24 } from "@claudemesh/test-support/node24";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleProbe, runProbe } from "./support/probe.js";

// The patch main.ts switches on (src/idle-async-storage.ts), run by another Node than the
// one running the tests: it matters on Node 20, and on Node 24 it must leave Node alone.

const SOURCE = fileURLToPath(new URL("../src/", import.meta.url));

/** What a process sees with the patch on: is `run` replaced, and is a storage used by a finished run turned off? */
const PROBE = `
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { disableAsyncStoragesWhenIdle } from "./idle-async-storage.ts";

const nodeRun = AsyncLocalStorage.prototype.run;
const restore = disableAsyncStoragesWhenIdle();
const replacesRun = AsyncLocalStorage.prototype.run !== nodeRun;
const storage = new AsyncLocalStorage();
storage.enterWith("entered outside any run");
await storage.run("in a run", () => sleep(1));
await sleep(0);
const storeOnceIdle = storage.getStore() ?? null;
restore();
console.log(JSON.stringify({ version: process.version, replacesRun, storeOnceIdle }));
`;

interface ProbeResult {
  version: string;
  replacesRun: boolean;
  storeOnceIdle: string | null;
}

describe("disableAsyncStoragesWhenIdle in a process of its own", () => {
  let probe = "";
  const probeOn = (node: string) => runProbe<ProbeResult>(node, probe);

  beforeAll(async () => {
    probe = await bundleProbe(PROBE, SOURCE);
  });

  it.runIf(Number(process.versions.node.split(".")[0]) < 24)(
    "on this Node (async hooks) replaces run() and turns a storage off once no run is in progress",
    async () => {
      expect(await probeOn(process.execPath)).toEqual({
        version: process.version,
        replacesRun: true,
        storeOnceIdle: null,
      });
    },
  );

  it.skipIf(SKIP_NODE24)(
    "on Node 24 (AsyncContextFrame) leaves run() as Node has it and never turns a storage off",
    async () => {
      const result = await probeOn(await node24());
      expect(result.version).toMatch(/^v24\./);
      expect(result).toMatchObject({ replacesRun: false, storeOnceIdle: "entered outside any run" });
    },
    NODE24_INSTALL_TIMEOUT,
  );
});
