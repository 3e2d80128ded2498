import { arch, platform } from "node:os";
import ky, { HTTPError, type KyInstance, type Options } from "ky";
import type { z } from "zod";
import {
  type AcceptedInvite,
  AcceptedInvite as AcceptedInviteSchema,
  type CreatedInvite,
  CreatedInvite as CreatedInviteSchema,
  type CreatedToken,
  CreatedToken as CreatedTokenSchema,
  type CreateInviteRequest,
  type CreateMeshRequest,
  type CreateTokenRequest,
  type DeviceCodeRequest,
  type DeviceCodeResponse,
  DeviceCodeResponse as DeviceCodeResponseSchema,
  type DevicePollResponse,
  DevicePollResponse as DevicePollResponseSchema,
  type InvitePreview,
  InvitePreview as InvitePreviewSchema,
  type LoopbackTokenRequest,
  type LoopbackTokenResponse,
  LoopbackTokenResponse as LoopbackTokenResponseSchema,
  type Mesh,
  type MeshList,
  MeshList as MeshListSchema,
  Mesh as MeshSchema,
  type RevokedResponse,
  RevokedResponse as RevokedResponseSchema,
  type SessionList,
  SessionList as SessionListSchema,
  SlowDownBody,
  type TelemetryBatch,
  type TokenList,
  TokenList as TokenListSchema,
  type Whoami,
  Whoami as WhoamiSchema,
} from "../contracts/index.js";
import { DEFAULT_API_URL, readSdkEnv, type SdkEnv } from "../env.js";
import { ClaudemeshError } from "../errors.js";
import { refuseTokenAsId } from "../token.js";
import { SDK_VERSION } from "../version.js";
import { errorFromResponse, errorFromTransport } from "./http-errors.js";
import { nodeHttpFetch } from "./node-http-fetch.js";
import { proxyFetch } from "./proxy.js";

export interface ApiClientOptions {
  /** Server origin; default CLAUDEMESH_API_URL, then https://claudemesh.com. */
  baseUrl?: string;
  /** A `cm_…` token for the `/api/my/*` endpoints. */
  token?: string;
  /** Appended to the User-Agent, e.g. `claudemesh-cli/0.11.0`. */
  client?: string;
  /** Per-request timeout in milliseconds (long-polls get their wait on top). */
  timeoutMs?: number;
  /** Attempts after the first, on network errors and 502/503/504 only. */
  retries?: number;
  /** Environment to read CLAUDEMESH_API_URL and proxy settings from. */
  env?: SdkEnv;
  /** Replaces the transport (tests, or a host's own); default node:http, or undici through a proxy. */
  fetch?: typeof fetch;
}

/** What a poll answered: a status, or "poll slower" with the interval to use. */
export type PollAnswer = { kind: "status"; body: DevicePollResponse } | { kind: "slow_down"; intervalSeconds: number };

/**
 * One method per endpoint of the claudemesh server. Answers are checked against
 * the contracts on arrival; every failure is a ClaudemeshError (401s with the
 * server's reason, exit status 2).
 *
 * @example
 * const api = await ApiClient.create({ token: "cm_pat_…", client: "claudemesh-cli/0.11.0" });
 * const me = await api.whoami();
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #http: KyInstance;

  private constructor(baseUrl: string, http: KyInstance) {
    this.baseUrl = baseUrl;
    this.#http = http;
  }

  /** Builds a client; async because a configured proxy loads its agent first. */
  static async create(options: ApiClientOptions = {}): Promise<ApiClient> {
    const env = options.env ?? readSdkEnv();
    const baseUrl = normalizeBaseUrl(options.baseUrl ?? env.apiUrl ?? DEFAULT_API_URL);
    const fetchImpl = options.fetch ?? (await proxyFetch(env)) ?? nodeHttpFetch;
    const userAgent = `claudemesh-sdk/${SDK_VERSION} (${platform()}; ${arch()})${options.client ? ` ${options.client}` : ""}`;
    const http = ky.create({
      prefixUrl: baseUrl,
      timeout: options.timeoutMs ?? 15_000,
      headers: {
        "user-agent": userAgent,
        accept: "application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      retry: {
        limit: options.retries ?? 2,
        statusCodes: [502, 503, 504],
        afterStatusCodes: [],
        backoffLimit: 4_000,
      },
      fetch: fetchImpl,
    });
    return new ApiClient(baseUrl, http);
  }

  /** A copy of this client that sends another token. */
  async withToken(token: string, options: Omit<ApiClientOptions, "baseUrl" | "token"> = {}): Promise<ApiClient> {
    return ApiClient.create({ ...options, baseUrl: this.baseUrl, token });
  }

  // --- device-code login (no token) ---

  requestDeviceCode(device: DeviceCodeRequest, signal?: AbortSignal): Promise<DeviceCodeResponse> {
    return this.#send("post", "api/auth/cli/device-code", DeviceCodeResponseSchema, { json: device, signal });
  }

  /** One poll; `waitSeconds` asks the server to hold it open until something changes. */
  async pollDeviceCode(
    deviceCode: string,
    options: { waitSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<PollAnswer> {
    const wait = options.waitSeconds ?? 0;
    const path = `api/auth/cli/device-code/${encodeURIComponent(deviceCode)}${wait > 0 ? `?wait=${wait}` : ""}`;
    try {
      const body = await this.#send("get", path, DevicePollResponseSchema, {
        signal: options.signal,
        // The server may hold the answer for `wait` seconds.
        ...(wait > 0 ? { timeout: (wait + 15) * 1000 } : {}),
        retry: { limit: 0 },
      });
      return { kind: "status", body };
    } catch (error) {
      const slowDown = (error as { slowDown?: number }).slowDown;
      if (slowDown !== undefined) return { kind: "slow_down", intervalSeconds: slowDown };
      throw error;
    }
  }

  /** Browser login's back channel: trades the callback's code and the PKCE verifier for a token. */
  exchangeLoopbackCode(input: LoopbackTokenRequest, signal?: AbortSignal): Promise<LoopbackTokenResponse> {
    return this.#send("post", "api/auth/cli/loopback/token", LoopbackTokenResponseSchema, {
      json: input,
      signal,
      retry: { limit: 0 }, // the code is single use
    });
  }

  // --- the signed-in user (token required) ---

  whoami(signal?: AbortSignal): Promise<Whoami> {
    return this.#send("get", "api/my/whoami", WhoamiSchema, { signal });
  }

  listSessions(signal?: AbortSignal): Promise<SessionList> {
    return this.#send("get", "api/my/cli/sessions", SessionListSchema, { signal });
  }

  /** Revokes a CLI session by id, or `"current"` for the one this client's token is. */
  revokeSession(id: string, signal?: AbortSignal): Promise<RevokedResponse> {
    return this.#send("delete", `api/my/cli/sessions/${idSegment(id)}`, RevokedResponseSchema, { signal });
  }

  createToken(input: CreateTokenRequest, signal?: AbortSignal): Promise<CreatedToken> {
    return this.#send("post", "api/my/cli/tokens", CreatedTokenSchema, { json: input, signal });
  }

  listTokens(signal?: AbortSignal): Promise<TokenList> {
    return this.#send("get", "api/my/cli/tokens", TokenListSchema, { signal });
  }

  revokeToken(id: string, signal?: AbortSignal): Promise<RevokedResponse> {
    return this.#send("delete", `api/my/cli/tokens/${idSegment(id)}`, RevokedResponseSchema, { signal });
  }

  // --- meshes and invites ---

  listMeshes(signal?: AbortSignal): Promise<MeshList> {
    return this.#send("get", "api/my/meshes", MeshListSchema, { signal });
  }

  /** A taken slug fails with `slug_taken`, whose `suggestion` is a free one. */
  createMesh(input: CreateMeshRequest, signal?: AbortSignal): Promise<Mesh> {
    return this.#send("post", "api/my/meshes", MeshSchema, { json: input, signal, retry: { limit: 0 } });
  }

  /** Invites someone to the mesh with this id or slug; the answer's `url` carries the invite's secret. */
  createInvite(mesh: string, input: CreateInviteRequest, signal?: AbortSignal): Promise<CreatedInvite> {
    const path = `api/my/meshes/${encodeURIComponent(mesh)}/invites`;
    return this.#send("post", path, CreatedInviteSchema, { json: input, signal, retry: { limit: 0 } });
  }

  previewInvite(secret: string, signal?: AbortSignal): Promise<InvitePreview> {
    return this.#send("get", `api/invites/${encodeURIComponent(secret)}`, InvitePreviewSchema, { signal });
  }

  acceptInvite(secret: string, signal?: AbortSignal): Promise<AcceptedInvite> {
    const path = `api/invites/${encodeURIComponent(secret)}/accept`;
    return this.#send("post", path, AcceptedInviteSchema, { json: {}, signal });
  }

  // --- telemetry (no token) ---

  /** Sends usage events; quick to give up, never retried: telemetry must not slow anything down. */
  async sendTelemetry(batch: TelemetryBatch, signal?: AbortSignal): Promise<void> {
    // Anonymous by design: no Authorization header, even from a signed-in client.
    const headers = { authorization: undefined };
    await this.#http.post("api/telemetry", { json: batch, headers, signal, retry: { limit: 0 }, timeout: 3000 });
  }

  async #send<Schema extends z.ZodType>(
    method: "get" | "post" | "delete",
    path: string,
    schema: Schema,
    options: Options,
  ): Promise<z.infer<Schema>> {
    let body: unknown;
    try {
      body = await this.#http(path, { method, ...options }).json();
    } catch (error) {
      if (error instanceof HTTPError) {
        if (error.response.status === 429) {
          const slow = SlowDownBody.safeParse(
            await error.response
              .clone()
              .json()
              .catch(() => null),
          );
          if (slow.success)
            throw Object.assign(await errorFromResponse(error.response), { slowDown: slow.data.interval });
        }
        throw await errorFromResponse(error.response);
      }
      if (error instanceof SyntaxError) {
        throw new ClaudemeshError("bad_response", `${this.baseUrl} answered ${path} with something that is not JSON.`);
      }
      throw errorFromTransport(error, this.baseUrl);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
      throw new ClaudemeshError(
        "bad_response",
        `Unexpected answer from ${this.baseUrl}/${path}: ${problems.join("; ")}`,
      );
    }
    return parsed.data;
  }
}

/** `https://host/` → `https://host`; rejects anything that is not an http(s) URL. */
export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClaudemeshError("invalid_input", `CLAUDEMESH_API_URL is not a URL: ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ClaudemeshError("invalid_input", `CLAUDEMESH_API_URL must be http(s): ${value}`);
  }
  return url.toString().replace(/\/+$/, "");
}

/** A session or token id for a URL path (never a pasted token, which would land in access logs). */
function idSegment(id: string): string {
  refuseTokenAsId(id);
  return encodeURIComponent(id);
}
