import { createHash, randomBytes } from "node:crypto";
import type { ApiClient } from "../api/client.js";
import type { DeviceCodeRequest } from "../contracts/index.js";
import type { LoginResult } from "./device-flow.js";

/** What the browser brought back to the redirect URI. */
export type AuthorizationAnswer =
  /** Not this request's state: someone else's link. Ignore it and keep waiting. */
  { kind: "foreign" } | { kind: "denied" } | { kind: "missing_code" } | { kind: "code"; code: string };

/**
 * One browser sign-in (RFC 8252 with PKCE, RFC 7636 S256): the approval page
 * to open, and the state and code verifier that never leave this process. The
 * CLI's loopback server and the VS Code extension's URI handler both receive the
 * answer their own way, then hand it here.
 *
 * @example
 * const request = AuthorizationRequest.create({ baseUrl: api.baseUrl, redirectUri, device: deviceInfo() });
 * await openBrowser(request.url);
 * const answer = request.read(callbackParams);
 * if (answer.kind === "code") return request.exchange(api, answer.code);
 */
export class AuthorizationRequest {
  /** The approval page, `/cli-auth/authorize?redirect_uri&state&code_challenge…`. */
  readonly url: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly #verifier: string;

  private constructor(url: string, redirectUri: string, state: string, verifier: string) {
    this.url = url;
    this.redirectUri = redirectUri;
    this.state = state;
    this.#verifier = verifier;
  }

  static create(input: { baseUrl: string; redirectUri: string; device: DeviceCodeRequest }): AuthorizationRequest {
    const state = randomBytes(32).toString("base64url");
    const verifier = randomBytes(32).toString("base64url");
    const url = new URL("/cli-auth/authorize", input.baseUrl);
    url.search = new URLSearchParams({
      redirect_uri: input.redirectUri,
      state,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      ...input.device,
    }).toString();
    return new AuthorizationRequest(url.toString(), input.redirectUri, state, verifier);
  }

  /** Reads the callback's query: is it ours, and did the person approve? */
  read(params: URLSearchParams): AuthorizationAnswer {
    if (params.get("state") !== this.state) return { kind: "foreign" };
    if (params.get("error")) return { kind: "denied" };
    const code = params.get("code");
    return code ? { kind: "code", code } : { kind: "missing_code" };
  }

  /** Trades the code, with the verifier, for a session token on the back channel. */
  async exchange(
    api: Pick<ApiClient, "exchangeLoopbackCode">,
    code: string,
    signal?: AbortSignal,
  ): Promise<LoginResult> {
    const exchanged = await api.exchangeLoopbackCode(
      { code, code_verifier: this.#verifier, redirect_uri: this.redirectUri },
      signal,
    );
    return { token: exchanged.token, user: exchanged.user, expiresAt: exchanged.expires_at };
  }
}
