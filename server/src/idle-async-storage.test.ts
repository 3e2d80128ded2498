import { AsyncLocalStorage, executionAsyncId } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disableAsyncStoragesWhenIdle } from "./idle-async-storage.js";

/** True while Node's async hooks track promises: a reaction then runs under its own async id, not 0. */
const promisesAreHooked = async () => (await Promise.resolve().then(() => executionAsyncId())) !== 0;

/** Lets the `then` that marks a run as settled go first. */
const afterSettling = () => sleep(0);

// Node 20 and 22 build AsyncLocalStorage on async hooks; on Node 24 the patch does nothing
// (test/idle-async-storage-node24.test.ts), and promises are never hooked to begin with.
const storagesUseAsyncHooks = "_enable" in AsyncLocalStorage.prototype;

describe.runIf(storagesUseAsyncHooks)("disableAsyncStoragesWhenIdle", () => {
  let restore: () => void;
  beforeAll(() => {
    restore = disableAsyncStoragesWhenIdle();
  });
  afterAll(() => restore());

  it("keeps the store across awaits while the run is in progress, and unhooks promises after it", async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen = await storage.run("request", async () => {
      await sleep(5);
      return { store: storage.getStore(), hooked: await promisesAreHooked() };
    });
    expect(seen).toEqual({ store: "request", hooked: true });
    await afterSettling();
    expect(await promisesAreHooked()).toBe(false);
  });

  it("does not take the store from a run still in progress when another settles", async () => {
    const storage = new AsyncLocalStorage<string>();
    const slow = storage.run("slow", async () => {
      await sleep(30);
      return storage.getStore();
    });
    await storage.run("quick", async () => sleep(1));
    await afterSettling();
    expect(await promisesAreHooked()).toBe(true);
    expect(await slow).toBe("slow");
  });

  it("counts nested runs and runs of other storages", async () => {
    const outer = new AsyncLocalStorage<string>();
    const inner = new AsyncLocalStorage<string>();
    const seen = await outer.run("outer", async () => {
      await inner.run("inner", async () => sleep(1));
      await afterSettling();
      await sleep(5);
      return [outer.getStore(), inner.getStore()];
    });
    expect(seen).toEqual(["outer", undefined]);
    await afterSettling();
    expect(await promisesAreHooked()).toBe(false);
  });

  it("works again for the next run, and a run that rejects settles too", async () => {
    const storage = new AsyncLocalStorage<string>();
    await storage.run("first", async () => sleep(1));
    await afterSettling();
    const failing = storage.run("second", async () => {
      await sleep(1);
      throw new Error(`failed in ${storage.getStore()}`);
    });
    await expect(failing).rejects.toThrow("failed in second");
    await afterSettling();
    expect(await promisesAreHooked()).toBe(false);
  });

  it("leaves synchronous runs as Node has them", () => {
    const storage = new AsyncLocalStorage<number>();
    expect(storage.run(7, () => storage.getStore())).toBe(7);
    expect(storage.getStore()).toBeUndefined();
  });
});
