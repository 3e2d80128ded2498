import { arch, platform } from "node:os";
import {
  type AcceptedInvite,
  AcceptedInvite as AcceptedInviteSchema,
  type CreatedInvite,
  CreatedInvite as CreatedInviteSchema,
  type CreateInviteRequest,
  type CreateMeshRequest,
  type DeviceCodeRequest,
  type DeviceCodeResponse,
  DeviceCodeResponse as DeviceCodeResponseSchema,
  type DevicePollResponse,
  DevicePollResponse as DevicePollResponseSchema,
  type Grants,
  Grants as GrantsSchema,
  type InvitePreview,
  InvitePreview as InvitePreviewSchema,
  type LoopbackTokenRequest,
  type LoopbackTokenResponse,
  LoopbackTokenResponse as LoopbackTokenResponseSchema,
  type Mesh,
  type MeshList,
  MeshList as MeshListSchema,
  Mesh as MeshSchema,
  type PeerList,
  PeerList as PeerListSchema,
  type RevokedResponse,
  RevokedResponse as RevokedResponseSchema,
  type SessionList,
  SessionList as SessionListSchema,
  type TelemetryBatch,
  type TokenList,
  TokenList as TokenListSchema,
  type UpdateGrantRequest,
  type Whoami,
  Whoami as WhoamiSchema,
} from "../contracts/index.js";
import { DEFAULT_API_URL, readSdkEnv, type SdkEnv } from "../env.js";
import { ClaudemeshError } from "../errors.js";
import { refuseTokenAsId } from "../token.js";
import { SDK_VERSION } from "../version.js";
import { Sender, type SendOptions } from "./sender.js";

export interface ApiClientOptions {
  /** Server origin; default CLAUDEMESH_API_URL, then `DEFAULT_API_URL`. */
  baseUrl?: string;
  /** A `cm_…` token for the `/api/my/*` endpoints. */
  token?: string;
  /** Appended to the User-Agent, e.g. `claudemesh-cli/0.11.0`. */
  client?: string;
  /**
   * The caller's language (`es`), sent as Accept-Language: what the server
   * writes on the caller's behalf, such as an invite email to an address with
   * no account yet, is in it.
   */
  language?: string;
  /** Per-request timeout in milliseconds (long-polls get their wait on top). */
  timeoutMs?: number;
  /** Attempts after the first, on network errors and 502/503/504 only. */
  retries?: number;
  /** Environment to read CLAUDEMESH_API_URL and proxy settings from. */
  env?: SdkEnv;
  /**
   * Replaces fetch: a test's fake server, or a host's own fetch (VS Code's),
   * which then handles proxies itself. Default: Node's fetch, through undici's
   * proxy agent when HTTPS_PROXY or HTTP_PROXY is set.
   */
  fetch?: typeof fetch;
}

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
  readonly #sender: Sender;

  private constructor(baseUrl: string, sender: Sender) {
    this.baseUrl = baseUrl;
    this.#sender = sender;
  }

  /** Builds a client; ky (and a proxy agent, when one is configured) load on its first call, not here. */
  static async create(options: ApiClientOptions = {}): Promise<ApiClient> {
    const env = options.env ?? readSdkEnv();
    const baseUrl = normalizeBaseUrl(options.baseUrl ?? env.apiUrl ?? DEFAULT_API_URL);
    const userAgent = `claudemesh-sdk/${SDK_VERSION} (${platform()}; ${arch()})${options.client ? ` ${options.client}` : ""}`;
    const sender = new Sender({
      baseUrl,
      headers: {
        "user-agent": userAgent,
        accept: "application/json",
        ...(options.language ? { "accept-language": options.language } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      timeoutMs: options.timeoutMs ?? 15_000,
      retries: options.retries ?? 2,
      env,
      fetch: options.fetch,
    });
    return new ApiClient(baseUrl, sender);
  }

  /** A copy of this client that sends another token. */
  async withToken(token: string, options: Omit<ApiClientOptions, "baseUrl" | "token"> = {}): Promise<ApiClient> {
    return ApiClient.create({ ...options, baseUrl: this.baseUrl, token });
  }

  // --- device-code login (no token) ---

  requestDeviceCode(device: DeviceCodeRequest, signal?: AbortSignal): Promise<DeviceCodeResponse> {
    return this.#sender.json("post", "api/auth/cli/device-code", DeviceCodeResponseSchema, { json: device, signal });
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
    return this.#sender.json("get", path, DevicePollResponseSchema, {
      signal: options.signal,
      // The server may hold the answer for `wait` seconds.
      ...(wait > 0 ? { timeoutMs: (wait + 15) * 1000 } : {}),
      retries: 0,
    });
  }

  /** Browser login's back channel: trades the callback's code and the PKCE verifier for a token. */
  exchangeLoopbackCode(input: LoopbackTokenRequest, signal?: AbortSignal): Promise<LoopbackTokenResponse> {
    // A POST, so never sent twice: the code is single use.
    return this.#sender.json("post", "api/auth/cli/loopback/token", LoopbackTokenResponseSchema, {
      json: input,
      signal,
    });
  }

  // --- the signed-in user (token required) ---

  whoami(signal?: AbortSignal): Promise<Whoami> {
    return this.#sender.json("get", "api/my/whoami", WhoamiSchema, { signal });
  }

  listSessions(signal?: AbortSignal): Promise<SessionList> {
    return this.#sender.json("get", "api/my/cli/sessions", SessionListSchema, { signal });
  }

  /** Revokes a CLI session by id, or `"current"` for the one this client's token is. */
  revokeSession(id: string, signal?: AbortSignal): Promise<RevokedResponse> {
    return this.#sender.json("delete", `api/my/cli/sessions/${idSegment(id)}`, RevokedResponseSchema, { signal });
  }

  listTokens(signal?: AbortSignal): Promise<TokenList> {
    return this.#sender.json("get", "api/my/cli/tokens", TokenListSchema, { signal });
  }

  revokeToken(id: string, signal?: AbortSignal): Promise<RevokedResponse> {
    return this.#sender.json("delete", `api/my/cli/tokens/${idSegment(id)}`, RevokedResponseSchema, { signal });
  }

  // --- meshes and invites ---

  listMeshes(signal?: AbortSignal): Promise<MeshList> {
    return this.#sender.json("get", "api/my/meshes", MeshListSchema, { signal });
  }

  /** A taken slug fails with `slug_taken`, whose `suggestion` is a free one. */
  createMesh(input: CreateMeshRequest, signal?: AbortSignal): Promise<Mesh> {
    return this.#sender.json("post", "api/my/meshes", MeshSchema, { json: input, signal });
  }

  /** Invites someone to the mesh with this id or slug; the answer's `url` carries the invite's secret. */
  createInvite(mesh: string, input: CreateInviteRequest, signal?: AbortSignal): Promise<CreatedInvite> {
    const path = `api/my/meshes/${encodeURIComponent(mesh)}/invites`;
    return this.#sender.json("post", path, CreatedInviteSchema, { json: input, signal });
  }

  previewInvite(secret: string, signal?: AbortSignal): Promise<InvitePreview> {
    return this.#sender.json("get", `api/invites/${encodeURIComponent(secret)}`, InvitePreviewSchema, { signal });
  }

  acceptInvite(secret: string, signal?: AbortSignal): Promise<AcceptedInvite> {
    const path = `api/invites/${encodeURIComponent(secret)}/accept`;
    return this.#sender.json("post", path, AcceptedInviteSchema, { json: {}, signal });
  }

  // --- peers and grants (issue 26) ---

  /** The members of a mesh (id or slug), each with whether they are online and their connected sessions. */
  listPeers(mesh: string, signal?: AbortSignal): Promise<PeerList> {
    return this.#sender.json("get", `api/my/meshes/${encodeURIComponent(mesh)}/peers`, PeerListSchema, { signal });
  }

  /** What you let each other member of the mesh do to you; a member not listed may do everything. */
  getGrants(mesh: string, signal?: AbortSignal): Promise<Grants> {
    return this.#sender.json("get", `api/my/meshes/${encodeURIComponent(mesh)}/grants`, GrantsSchema, { signal });
  }

  /**
   * Sets what one member (`peer`, a member id) may do to you: a list of
   * capabilities, `[]` to block them, or null for the default (everything).
   * Answers your grants as they now stand.
   */
  updateGrant(mesh: string, input: UpdateGrantRequest, signal?: AbortSignal): Promise<Grants> {
    const path = `api/my/meshes/${encodeURIComponent(mesh)}/grants`;
    return this.#sender.json("post", path, GrantsSchema, { json: input, signal });
  }

  // --- telemetry (no token) ---

  /** Sends usage events; quick to give up, and (a POST) never retried: telemetry must not slow anything down. */
  sendTelemetry(batch: TelemetryBatch, signal?: AbortSignal): Promise<void> {
    // Anonymous by design: no Authorization header, even from a signed-in client.
    const options: SendOptions = { json: batch, signal, timeoutMs: 3000, anonymous: true };
    return this.#sender.send("post", "api/telemetry", options);
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
