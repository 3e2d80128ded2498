import { describe, expect, it } from "vitest";
import { oneAtATimePerKey } from "./one-at-a-time.js";

/** A task that runs until `finish()` is called, noting when it starts. */
function gatedTask(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("one at a time per key", () => {
  it("runs one key's tasks in turn, in the order given, while another key's run at once", async () => {
    const run = oneAtATimePerKey();
    const started: string[] = [];
    const [a1, a2, a3, b1] = ["a1", "a2", "a3", "b1"].map((name) => gatedTask(started, name)) as [
      ReturnType<typeof gatedTask>,
      ReturnType<typeof gatedTask>,
      ReturnType<typeof gatedTask>,
      ReturnType<typeof gatedTask>,
    ];
    const results = [run("a", a1.run), run("a", a2.run), run("a", a3.run), run("b", b1.run)];
    await settle();
    expect(started).toEqual(["a1", "b1"]);
    a1.finish();
    await settle();
    expect(started).toEqual(["a1", "b1", "a2"]);
    a2.finish();
    a3.finish();
    b1.finish();
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "b1"]);
  });

  it("a task that fails rejects its own caller and lets the next one run", async () => {
    const run = oneAtATimePerKey();
    const failing = run("a", async () => {
      throw new Error("the check broke");
    });
    const next = run("a", async () => "next ran");
    await expect(failing).rejects.toThrow("the check broke");
    expect(await next).toBe("next ran");
  });
});
