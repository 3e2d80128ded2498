import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { lazySchema } from "./lazy-schema.js";

// Counts the schemas zod builds while the contracts load (they all call z.object).
const built = vi.hoisted(() => ({ objects: 0 }));
vi.mock("zod", async (importOriginal) => {
  const zod = await importOriginal<typeof import("zod")>();
  const object: typeof zod.object = (...args) => {
    built.objects += 1;
    return zod.object(...args);
  };
  return { ...zod, object };
});

describe("lazySchema", () => {
  it("builds the schema on first use, once", () => {
    const build = vi.fn(() => z.object({ name: z.string() }));
    const Named = lazySchema(build);
    expect(build).not.toHaveBeenCalled();
    expect(Named.parse({ name: "Ada" })).toEqual({ name: "Ada" });
    expect(Named.safeParse({ name: 1 }).success).toBe(false);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it("stands in for the schema: nested, extended, shape, instanceof", () => {
    const Inner = lazySchema(() => z.object({ id: z.string() }));
    const Outer = lazySchema(() => z.object({ inner: Inner, list: z.array(Inner).nullable() }));
    const Extended = lazySchema(() => Inner.extend({ extra: z.number() }));
    expect(Outer.parse({ inner: { id: "a" }, list: null })).toEqual({ inner: { id: "a" }, list: null });
    expect(Outer.safeParse({ inner: { id: 1 }, list: null }).success).toBe(false);
    expect(Extended.parse({ id: "b", extra: 2 })).toEqual({ id: "b", extra: 2 });
    expect(Object.keys(Inner.shape)).toEqual(["id"]);
    expect(Inner).toBeInstanceOf(z.ZodObject);
    expect(Inner.shape.id.safeParse("c").success).toBe(true);
  });
});

describe("the SDK's contracts", () => {
  it("build no schema when imported (a CLI command checks one or two answers, not all)", async () => {
    built.objects = 0;
    const contracts = await import("./index.js");
    await import("../meshes/local-config.js");
    await import("../credentials/auth-file.js");
    await import("../auth/pending-login.js");
    expect(built.objects).toBe(0);
    expect(contracts.Whoami.safeParse({}).success).toBe(false);
    expect(built.objects).toBeGreaterThan(0);
  });
});
