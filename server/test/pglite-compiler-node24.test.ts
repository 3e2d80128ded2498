import { fileURLToPath } from "node:url";
import { NODE24_INSTALL_TIMEOUT, node24, SKIP_NODE24 } from "@claudemesh/test-support/node24";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleProbe, runProbe } from "./support/probe.js";

// keepPgliteOnBaselineCompiler (src/db/pglite-compiler.ts) in a process of its own, on
// this Node and on Node 24 (the Docker image's): a hot WebAssembly function must stay
// on Liftoff. V8's own natives say which tier a function runs on.

const SOURCE = fileURLToPath(new URL("../src/db/", import.meta.url));

/** A WebAssembly function called until V8 would tier it up, and the tier it ends on. */
const PROBE = `
import { keepPgliteOnBaselineCompiler } from "./pglite-compiler.ts";

if (process.argv.includes("keep")) keepPgliteOnBaselineCompiler();
// (module (func (export "add1") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,7,8,1,4,97,100,100,49,0,0,10,9,1,7,0,32,0,65,1,106,11]);
const { instance } = await WebAssembly.instantiate(bytes);
const add1 = instance.exports.add1;
const onTurboFan = new Function("f", "return %IsTurboFanFunction(f)");
let n = 0;
// Tier-up is compiled on a background thread: call, give it time, call again (for
// about 2 s in all, whatever the machine's load, unless it tiers up sooner).
for (let round = 0; round < 10 && !onTurboFan(add1); round += 1) {
  for (let i = 0; i < 2e6; i += 1) n = add1(n);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
console.log(JSON.stringify({ version: process.version, onTurboFan: onTurboFan(add1) }));
`;

describe("keepPgliteOnBaselineCompiler in a process of its own", () => {
  let probe = "";
  const tierOf = (node: string, keep: boolean) =>
    runProbe<{ version: string; onTurboFan: boolean }>(node, probe, ["--allow-natives-syntax"], keep ? ["keep"] : []);

  beforeAll(async () => {
    probe = await bundleProbe(PROBE, SOURCE);
  });

  it("on this Node, a hot function is optimised by default and stays on Liftoff once kept there", async () => {
    expect((await tierOf(process.execPath, false)).onTurboFan).toBe(true);
    expect((await tierOf(process.execPath, true)).onTurboFan).toBe(false);
  });

  it.skipIf(SKIP_NODE24)(
    "on Node 24 too, where --liftoff-only alone left dynamic tiering on",
    async () => {
      const node = await node24();
      const byDefault = await tierOf(node, false);
      expect(byDefault.version).toMatch(/^v24\./);
      expect(byDefault.onTurboFan).toBe(true);
      expect((await tierOf(node, true)).onTurboFan).toBe(false);
    },
    NODE24_INSTALL_TIMEOUT,
  );
});
