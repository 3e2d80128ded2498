import { describe, expect, it } from "vitest";
import { isEditorRedirect, isLoopbackRedirect, isSignInRedirect, redirectTarget } from "./loopback.js";

describe("where a browser sign-in may send its code", () => {
  it.each([
    ["the CLI's loopback callback", "http://127.0.0.1:53682/callback"],
    ["localhost", "http://localhost:8080/x"],
    ["IPv6 loopback", "http://[::1]:8080/x"],
    ["a code-server callback on this machine", "http://127.0.0.1:8080/callback?vscode-reqid=1&vscode-scheme=code-oss"],
    ["VS Code", "vscode://claudemesh.claudemesh/did-authenticate"],
    ["VS Code Insiders", "vscode-insiders://claudemesh.claudemesh/did-authenticate"],
    ["Code - OSS", "code-oss://claudemesh.claudemesh/did-authenticate?nonce=1"],
    ["VSCodium", "vscodium://claudemesh.claudemesh/did-authenticate"],
    ["the extension id in capitals (VS Code matches ids in any case)", "vscode://ClaudeMesh.ClaudeMesh/x"],
  ])("takes %s", (_label, uri) => {
    expect(isSignInRedirect(uri)).toBe(true);
  });

  it.each([
    ["a web address (a phishing site could receive the code)", "https://evil.example/callback"],
    [
      "a web address that looks like a code-server callback",
      "https://evil.example/callback?vscode-authority=claudemesh.claudemesh",
    ],
    ["plain http off this machine", "http://192.168.1.5:8080/callback"],
    ["another extension", "vscode://evil.extension/did-authenticate"],
    ["the extension id as a user name", "vscode://claudemesh.claudemesh@evil.extension/x"],
    ["credentials in front of the extension", "vscode://user:pw@claudemesh.claudemesh/x"],
    ["a port after the extension", "vscode://claudemesh.claudemesh:80/x"],
    ["a fragment", "vscode://claudemesh.claudemesh/x#code"],
    ["another app's scheme", "cursor://claudemesh.claudemesh/x"],
    ["no authority", "vscode:claudemesh.claudemesh/x"],
    ["javascript", "javascript:alert(1)"],
    ["not a URL", "claudemesh"],
  ])("refuses %s", (_label, uri) => {
    expect(isSignInRedirect(uri)).toBe(false);
  });

  it("tells the loopback and the editor apart", () => {
    expect(isLoopbackRedirect("vscode://claudemesh.claudemesh/x")).toBe(false);
    expect(isEditorRedirect("http://127.0.0.1:1/x")).toBe(false);
  });

  it("names the destination the approval page shows", () => {
    expect(redirectTarget("http://127.0.0.1:53682/callback?x=1")).toBe("http://127.0.0.1:53682");
    expect(redirectTarget("vscode://claudemesh.claudemesh/did-authenticate?x=1")).toBe(
      "vscode://claudemesh.claudemesh",
    );
  });
});
