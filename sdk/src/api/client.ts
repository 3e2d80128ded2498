import { arch, platform } from "node:os";
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
  type TelemetryBatch,
  type TokenList,
  TokenList as TokenListSchema,
  type Whoami,
  Whoami as WhoamiSchema,
} from "../contracts/index.js";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import { DEFAULT_API_URL, readSdkEnv, type SdkEnv } from "../env.js";
import { ClaudemeshError } from "../errors.js";
import { refuseTokenAsId } from "../token.js";
import { SDK_VERSION } from "../version.js";
import { errorFromResponse, errorFromTransport } from "./http-errors.js";
import { proxyTransport } from "./proxy.js";
import { nodeHttpTransport, type Transport, type TransportResponse } from "./transport.js";

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
  transport?: Transport;
}

/** How one call is sent; the client's defaults fill in the rest. */
interface SendOptions {
  json?: unknown;
  signal?: AbortSignal;
  /** For the whole call, retries included. */
  timeoutMs?: number;
  retries?: number;
  /** Without the Authorization header, even from a signed-in client. */
  anonymous?: boolean;
}

/** Answers worth another try: the server or a proxy in front of it is briefly away. */
const RETRY_STATUSES = new Set([502, 503, 504]);
/** Only requests that change nothing, or change it once whatever the count, are sent again. */
const RETRY_METHODS = new Set(["GET", "DELETE"]);
const BACKOFF_FIRST_MS = 300;
const BACKOFF_LIMIT_MS = 4_000;

/**
 * One method per endpoint of the claudemesh server. Answers are checked against
 * the contracts on arrival; every failure is a ClaudemeshError (401s with the
 * server's reason, exit status 2). Reads and deletes are retried with backoff
 * on network errors and 502/503/504; every call has a timeout.
 *
 * @example
 * const api = await ApiClient.create({ token: "cm_pat_…", client: "claudemesh-cli/0.11.0" });
 * const me = await api.whoami();
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #transport: Transport;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;

  private constructor(
    baseUrl: string,
    transport: Transport,
    headers: Record<string, string>,
    options: ApiClientOptions,
  ) {
    this.baseUrl = baseUrl;
    this.#transport = transport;
    this.#headers = headers;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retries = options.retries ?? 2;
  }

  /** Builds a client; async because a configured proxy loads its agent first. */
  static async create(options: ApiClientOptions = {}): Promise<ApiClient> {
    const env = options.env ?? readSdkEnv();
    const baseUrl = normalizeBaseUrl(options.baseUrl ?? env.apiUrl ?? DEFAULT_API_URL);
    const transport = options.transport ?? (await proxyTransport(env)) ?? nodeHttpTransport;
    const userAgent = `claudemesh-sdk/${SDK_VERSION} (${platform()}; ${arch()})${options.client ? ` ${options.client}` : ""}`;
    const headers: Record<string, string> = {
      "user-agent": userAgent,
      accept: "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
    return new ApiClient(baseUrl, transport, headers, options);
  }

  /** A copy of this client that sends another token. */
  async withToken(token: string, options: Omit<ApiClientOptions, "baseUrl" | "token"> = {}): Promise<ApiClient> {
    return ApiClient.create({ ...options, baseUrl: this.baseUrl, token });
  }

  // --- device-code login (no token) ---

  requestDeviceCode(device: DeviceCodeRequest, signal?: AbortSignal): Promise<DeviceCodeResponse> {
    return this.#send("post", "api/auth/cli/device-code", DeviceCodeResponseSchema, { json: device, signal });
  }

  /**
   * One poll; `waitSeconds` asks the server to hold it open until something changes.
   * A poll too soon fails with a SlowDownError carrying the interval to keep.
   */
  pollDeviceCode(
    deviceCode: string,
    options: { waitSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<DevicePollResponse> {
    const wait = options.waitSeconds ?? 0;
    const path = `api/auth/cli/device-code/${encodeURIComponent(deviceCode)}${wait > 0 ? `?wait=${wait}` : ""}`;
    return this.#send("get", path, DevicePollResponseSchema, {
      signal: options.signal,
      // The server may hold the answer for `wait` seconds.
      ...(wait > 0 ? { timeoutMs: (wait + 15) * 1000 } : {}),
      retries: 0,
    });
  }

  /** Browser login's back channel: trades the callback's code and the PKCE verifier for a token. */
  exchangeLoopbackCode(input: LoopbackTokenRequest, signal?: AbortSignal): Promise<LoopbackTokenResponse> {
    // A POST, so never sent twice: the code is single use.
    return this.#send("post", "api/auth/cli/loopback/token", LoopbackTokenResponseSchema, { json: input, signal });
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
    return this.#send("post", "api/my/meshes", MeshSchema, { json: input, signal });
  }

  /** Invites someone to the mesh with this id or slug; the answer's `url` carries the invite's secret. */
  createInvite(mesh: string, input: CreateInviteRequest, signal?: AbortSignal): Promise<CreatedInvite> {
    const path = `api/my/meshes/${encodeURIComponent(mesh)}/invites`;
    return this.#send("post", path, CreatedInviteSchema, { json: input, signal });
  }

  previewInvite(secret: string, signal?: AbortSignal): Promise<InvitePreview> {
    return this.#send("get", `api/invites/${encodeURIComponent(secret)}`, InvitePreviewSchema, { signal });
  }

  acceptInvite(secret: string, signal?: AbortSignal): Promise<AcceptedInvite> {
    const path = `api/invites/${encodeURIComponent(secret)}/accept`;
    return this.#send("post", path, AcceptedInviteSchema, { json: {}, signal });
  }

  // --- telemetry (no token) ---

  /** Sends usage events; quick to give up, and (a POST) never retried: telemetry must not slow anything down. */
  async sendTelemetry(batch: TelemetryBatch, signal?: AbortSignal): Promise<void> {
    // Anonymous by design: no Authorization header, even from a signed-in client.
    const response = await this.#request("POST", "api/telemetry", {
      json: batch,
      signal,
      timeoutMs: 3000,
      anonymous: true,
    });
    if (response.status >= 300) throw errorFromResponse(response);
  }

  async #send<Schema extends z.ZodType>(
    method: "get" | "post" | "delete",
    path: string,
    schema: Schema,
    options: SendOptions,
  ): Promise<z.infer<Schema>> {
    const response = await this.#request(method.toUpperCase() as "GET" | "POST" | "DELETE", path, options);
    if (response.status >= 300) throw errorFromResponse(response);
    let body: unknown;
    try {
      // Whatever the server says is printed, shown or passed on later: no control or bidi characters in it.
      body = neutralizeStrings(JSON.parse(response.body));
    } catch {
      throw new ClaudemeshError("bad_response", `${this.baseUrl} answered ${path} with something that is not JSON.`);
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

  /** Sends with the timeout, and again after a backoff while it may; any answer that came is returned. */
  async #request(method: "GET" | "POST" | "DELETE", path: string, options: SendOptions): Promise<TransportResponse> {
    const url = new URL(`${this.baseUrl}/${path}`);
    const headers = { ...this.#headers };
    if (options.anonymous) delete headers.authorization;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const retries = RETRY_METHODS.has(method) ? (options.retries ?? this.#retries) : 0;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    for (let attempt = 0; ; attempt += 1) {
      let response: TransportResponse | undefined;
      let failure: unknown;
      try {
        response = await this.#transport({ method, url, headers, body, signal });
      } catch (error) {
        failure = error;
      }
      if (options.signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.", { cause: failure });
      if (timeout.aborted) {
        throw new ClaudemeshError("timeout", `${this.baseUrl} did not answer in time.`, { cause: failure });
      }
      const again = response ? RETRY_STATUSES.has(response.status) : true;
      if (!again || attempt >= retries) {
        if (response) return response;
        throw errorFromTransport(failure, this.baseUrl);
      }
      await backoff(attempt, signal).catch(() => {});
    }
  }
}

/** Waits before attempt `attempt + 1`: 0.3 s, doubling, at most 4 s; cut short by `signal`. */
function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.min(BACKOFF_FIRST_MS * 2 ** attempt, BACKOFF_LIMIT_MS);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
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
