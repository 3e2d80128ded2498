import { describe, expect, it } from "vitest";
import { readServerEnv } from "./env.js";

describe("readServerEnv", () => {
  it("defaults to port 3000 on embedded PGlite in ./.data", () => {
    expect(readServerEnv({})).toMatchObject({ PORT: 3000, CLAUDEMESH_DATA_DIR: "./.data" });
  });

  it("treats empty variables as unset", () => {
    const env = readServerEnv({ DATABASE_URL: "", PORT: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("reads the sign-in policy: DEVICE_FLOW on or off, APPROVAL_NETWORKS as IPv4 and IPv6 networks", () => {
    expect(readServerEnv({}).DEVICE_FLOW).toBe("on");
    expect(readServerEnv({}).APPROVAL_NETWORKS).toBeUndefined();
    const env = readServerEnv({ DEVICE_FLOW: "off", APPROVAL_NETWORKS: " 10.0.0.0/8, 2001:db8::/32 ,192.0.2.7" });
    expect(env.DEVICE_FLOW).toBe("off");
    expect(env.APPROVAL_NETWORKS?.cidrs).toEqual(["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"]);
    expect(env.APPROVAL_NETWORKS?.includes("10.200.0.1")).toBe(true);
    expect(env.APPROVAL_NETWORKS?.includes("2001:db8:ffff::1")).toBe(true);
    expect(env.APPROVAL_NETWORKS?.includes("192.0.2.8")).toBe(false);
  });

  it("refuses a DEVICE_FLOW that is not on or off, and names each entry of APPROVAL_NETWORKS that is not a network", () => {
    expect(() => readServerEnv({ DEVICE_FLOW: "disabled" })).toThrow(/DEVICE_FLOW: DEVICE_FLOW must be "on" or "off"/);
    expect(() => readServerEnv({ APPROVAL_NETWORKS: "10.0.0.0/8,10.0.0.0/33,office,2001:db8::/129" })).toThrow(
      /APPROVAL_NETWORKS: not a network: "10.0.0.0\/33", "office", "2001:db8::\/129" \(write each as an address/,
    );
    expect(() => readServerEnv({ APPROVAL_NETWORKS: " , " })).toThrow(/APPROVAL_NETWORKS: not a network/);
  });

  it("names every bad variable in one message", () => {
    expect(() => readServerEnv({ PORT: "70000", BETTER_AUTH_SECRET: "short", DATABASE_URL: "nope" })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*BETTER_AUTH_SECRET must be at least 32 characters/,
    );
  });
});
