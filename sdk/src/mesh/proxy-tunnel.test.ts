import { describe, expect, it } from "vitest";
import { readSdkEnv } from "../env.js";
import { bypassesProxy, proxyFor } from "./proxy-tunnel.js";

const target = (url: string) => new URL(url);

describe("proxyFor", () => {
  it("takes HTTPS_PROXY for wss and HTTP_PROXY for ws, each falling back to the other", () => {
    const both = readSdkEnv({ HTTPS_PROXY: "http://secure:8080", HTTP_PROXY: "http://plain:8080" });
    expect(proxyFor(target("wss://mesh.example/x"), both)?.host).toBe("secure:8080");
    expect(proxyFor(target("ws://mesh.example/x"), both)?.host).toBe("plain:8080");
    expect(proxyFor(target("wss://mesh.example/x"), readSdkEnv({ HTTP_PROXY: "plain:3128" }))?.host).toBe("plain:3128");
    expect(proxyFor(target("wss://mesh.example/x"), readSdkEnv({}))).toBeUndefined();
  });
});

describe("bypassesProxy", () => {
  it.each([
    ["wss://mesh.example/x", "mesh.example", true],
    ["wss://api.mesh.example/x", "mesh.example", true],
    ["wss://api.mesh.example/x", ".mesh.example", true],
    ["wss://api.mesh.example/x", "*.mesh.example", true],
    ["wss://notmesh.example/x", "mesh.example", false],
    ["wss://mesh.example/x", "other.example, mesh.example", true],
    ["wss://mesh.example/x", "mesh.example:443", true],
    ["wss://mesh.example/x", "mesh.example:8443", false],
    ["ws://127.0.0.1:3000/x", "127.0.0.1", true],
    ["ws://[::1]:3000/x", "[::1]:3000", true],
    ["wss://anything.example/x", "*", true],
    ["wss://mesh.example/x", "", false],
  ])("%s with NO_PROXY=%s → %s", (url, noProxy, bypassed) => {
    expect(bypassesProxy(target(url), noProxy)).toBe(bypassed);
  });
});
