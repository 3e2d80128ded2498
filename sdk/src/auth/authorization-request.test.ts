import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ApiClient } from "../api/client.js";
import type { LoopbackTokenRequest } from "../contracts/index.js";
import { AuthorizationRequest } from "./authorization-request.js";

const DEVICE = { device_name: "VS Code · ada-laptop", device_os: "linux", device_arch: "x64" };
const REDIRECT = "vscode://claudemesh.claudemesh/did-authenticate";

function request() {
  return AuthorizationRequest.create({ baseUrl: "https://mesh.example.com", redirectUri: REDIRECT, device: DEVICE });
}

describe("AuthorizationRequest", () => {
  it("opens the approval page with the redirect URI, a fresh state and an S256 challenge of a verifier it keeps", async () => {
    const first = request();
    const url = new URL(first.url);
    expect(url.origin + url.pathname).toBe("https://mesh.example.com/cli-auth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      redirect_uri: REDIRECT,
      state: first.state,
      code_challenge_method: "S256",
      ...DEVICE,
    });
    expect(first.url).not.toContain("verifier");
    expect(request().state).not.toBe(first.state);

    // The verifier goes out only on the back channel, and hashes to the challenge the page carried.
    const sent: LoopbackTokenRequest[] = [];
    const api = {
      exchangeLoopbackCode: async (input: LoopbackTokenRequest) => {
        sent.push(input);
        return { token: "cm_session_x", user: { id: "u", name: "Ada", email: "a@x" }, expires_at: null };
      },
    } as unknown as ApiClient;
    const result = await first.exchange(api, "the-code");
    expect(result).toEqual({ token: "cm_session_x", user: { id: "u", name: "Ada", email: "a@x" }, expiresAt: null });
    expect(sent).toEqual([{ code: "the-code", code_verifier: expect.any(String), redirect_uri: REDIRECT }]);
    const challenge = createHash("sha256")
      .update(sent[0]?.code_verifier ?? "")
      .digest("base64url");
    expect(url.searchParams.get("code_challenge")).toBe(challenge);
  });

  it("reads a callback: someone else's state, a denial, no code, or the code", () => {
    const mine = request();
    const answer = (query: Record<string, string>) => mine.read(new URLSearchParams(query));
    expect(answer({ state: "someone-else", code: "c" })).toEqual({ kind: "foreign" });
    expect(answer({ code: "c" })).toEqual({ kind: "foreign" });
    expect(answer({ state: mine.state, error: "access_denied" })).toEqual({ kind: "denied" });
    expect(answer({ state: mine.state })).toEqual({ kind: "missing_code" });
    expect(answer({ state: mine.state, code: "c" })).toEqual({ kind: "code", code: "c" });
  });
});
