import type { KyInstance, Options } from "ky";
import type { z } from "zod";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import type { SdkEnv } from "../env.js";
import { ClaudemeshError } from "../errors.js";
import { errorFromFailure, errorFromResponse } from "./http-errors.js";
import { proxyDispatcher } from "./proxy.js";

/** What every call of one client is sent with. */
export interface SenderOptions {
  /** The server's origin, without a trailing slash; paths are relative to it. */
  baseUrl: string;
  /** User-Agent, Accept and, when there is a token, Authorization. */
  headers: Record<string, string>;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Attempts after the first, for reads and deletes only. */
  retries: number;
  /** Where the proxy settings come from. */
  env: SdkEnv;
  /** Replaces fetch (tests, or a host's own, which then handles proxies itself). */
  fetch?: typeof fetch;
}

/** How one call is sent; the sender's defaults fill in the rest. */
export interface SendOptions {
  json?: unknown;
  signal?: AbortSignal;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  retries?: number;
  /** Without the Authorization header, even from a signed-in client. */
  anonymous?: boolean;
}

/** The methods the API uses. */
export type Method = "get" | "post" | "delete";

/** Answers worth another try: the server or a proxy in front of it is briefly away. */
const RETRY_STATUSES = [502, 503, 504];
/** Only requests that change nothing, or change it once whatever the count, are sent again. */
const RETRY_METHODS = ["get", "delete"];
/** ky's backoff (0.3 s, doubling) grows no further than this. */
const BACKOFF_LIMIT_MS = 4_000;

/**
 * The one place that sends, retries and maps errors, on ky: loaded on the first
 * call, so a CLI start that sends nothing (`--version`, `--help`) never pays for
 * it. Every call has a timeout; reads and deletes are sent again with backoff
 * after a network error or a 502/503/504, never a POST; a hook turns every HTTP
 * error into a ClaudemeshError; JSON arrives with every string neutral.
 *
 * @example
 * const sender = new Sender({ baseUrl, headers, timeoutMs: 15_000, retries: 2, env: readSdkEnv() });
 * const me = await sender.json("get", "api/my/whoami", Whoami);
 */
export class Sender {
  readonly #options: SenderOptions;
  #http: Promise<KyInstance> | undefined;

  constructor(options: SenderOptions) {
    this.#options = options;
  }

  /** Sends, and answers the body once it matches `schema` (else `bad_response`). */
  async json<Schema extends z.ZodType>(
    method: Method,
    path: string,
    schema: Schema,
    options: SendOptions = {},
  ): Promise<z.infer<Schema>> {
    let body: unknown;
    try {
      const http = await this.#load();
      body = await http(path, this.#callOptions(method, options)).json();
    } catch (error) {
      throw this.#failure(error, path, options.signal);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
      throw new ClaudemeshError(
        "bad_response",
        `Unexpected answer from ${this.#options.baseUrl}/${path}: ${problems.join("; ")}`,
      );
    }
    return parsed.data;
  }

  /** Sends, for calls whose answer says no more than that it worked. */
  async send(method: Method, path: string, options: SendOptions = {}): Promise<void> {
    try {
      const http = await this.#load();
      // Read to the end, which frees the connection.
      await http(path, this.#callOptions(method, options)).text();
    } catch (error) {
      throw this.#failure(error, path, options.signal);
    }
  }

  #load(): Promise<KyInstance> {
    this.#http ??= createHttp(this.#options);
    return this.#http;
  }

  #callOptions(method: Method, options: SendOptions): Options {
    return {
      method,
      json: options.json,
      signal: options.signal,
      timeout: options.timeoutMs ?? this.#options.timeoutMs,
      retry: { limit: options.retries ?? this.#options.retries },
      ...(options.anonymous ? { headers: { authorization: undefined } } : {}),
    };
  }

  /** Whatever stopped a call, as a ClaudemeshError (the hook has already mapped HTTP errors). */
  #failure(error: unknown, path: string, signal: AbortSignal | undefined): ClaudemeshError {
    if (error instanceof ClaudemeshError) return error;
    if (signal?.aborted) return new ClaudemeshError("cancelled", "Cancelled.", { cause: error });
    if (error instanceof SyntaxError) {
      return new ClaudemeshError(
        "bad_response",
        `${this.#options.baseUrl} answered ${path} with something that is not JSON.`,
        { cause: error },
      );
    }
    return errorFromFailure(error, this.#options.baseUrl);
  }
}

async function createHttp(options: SenderOptions): Promise<KyInstance> {
  const [{ default: ky, isHTTPError }, dispatcher] = await Promise.all([
    import("ky"),
    options.fetch ? undefined : proxyDispatcher(options.env),
  ]);
  return ky.create({
    prefixUrl: options.baseUrl,
    headers: options.headers,
    timeout: options.timeoutMs,
    // The API never redirects: a redirect is an answer to report, not one to follow with the token.
    redirect: "manual",
    retry: {
      limit: options.retries,
      methods: RETRY_METHODS,
      statusCodes: RETRY_STATUSES,
      afterStatusCodes: [],
      backoffLimit: BACKOFF_LIMIT_MS,
      // The hook has made HTTP errors ClaudemeshErrors by now; anything else is ky's call (network errors, not timeouts).
      shouldRetry: ({ error }) =>
        error instanceof ClaudemeshError
          ? isHTTPError(error.cause) && RETRY_STATUSES.includes(error.cause.response.status)
          : undefined,
    },
    hooks: {
      beforeError: [
        async (error) => {
          const { status, statusText } = error.response;
          const body = await error.response.text().catch(() => "");
          throw errorFromResponse({ status, statusText, body }, error);
        },
      ],
    },
    // Whatever the server says is printed, shown or passed on later: no control or bidi characters in it.
    parseJson: (text) => neutralizeStrings(JSON.parse(text)),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
}
