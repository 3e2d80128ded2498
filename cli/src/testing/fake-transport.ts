// A fake server for in-process command tests, in the shape of gh's httpmock:
// a table of stubs answered by method and path, every request recorded, and
// `verify()` failing on stubs nobody asked for (and on requests no stub matched).

/** What `ok()` needs of a zod contract: parsing checks a canned answer has the shape the CLI expects. */
interface Contract<Output> {
  parse(value: unknown): Output;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** The request never reaches a server (refused, unresolvable). */
  | { networkError: string }
  /** The server takes longer than the call's timeout (fetch's own TimeoutError). */
  | { timeout: true };

export interface Stub {
  /** `"GET /api/my/whoami"`: the method and the path, without the query. */
  route: string;
  reply: Reply | ((request: SentRequest) => Reply);
  /** How many requests it answers; unlimited when left out (later stubs for the same route wait their turn). */
  times?: number;
}

export interface SentRequest {
  method: string;
  /** The server it went to, e.g. `https://mesh.test` */
  origin: string;
  /** Path and query, e.g. `/api/my/cli/tokens` */
  path: string;
  /** The bearer token sent, if any. */
  bearer: string | undefined;
  body: unknown;
}

/** A 2xx answer whose body the contract accepts (the table fails to build otherwise). */
export function ok<Output>(contract: Contract<Output>, body: Output, status = 200): Reply {
  return { status, body: contract.parse(body) };
}

/** The server's error shape: `{ error, message }`. */
export function fails(status: number, error: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error, message, ...extra } };
}

export class FakeTransport {
  readonly requests: SentRequest[] = [];
  readonly #stubs: { stub: Stub; used: number }[];
  readonly #unmatched: string[] = [];

  constructor(stubs: Stub[] = []) {
    this.#stubs = stubs.map((stub) => ({ stub, used: 0 }));
  }

  /** The `fetch` handed to every ApiClient the command makes. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const sent: SentRequest = {
      method: request.method,
      origin: url.origin,
      path: url.pathname + url.search,
      bearer: request.headers.get("authorization")?.replace(/^Bearer /, ""),
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(sent);
    const route = `${sent.method} ${url.pathname}`;
    const entry = this.#stubs.find(({ stub, used }) => stub.route === route && used < (stub.times ?? Infinity));
    if (!entry) {
      this.#unmatched.push(route);
      return Response.json({ error: "not_found", message: `No stub for ${route}.` }, { status: 404 });
    }
    entry.used += 1;
    const reply = typeof entry.stub.reply === "function" ? entry.stub.reply(sent) : entry.stub.reply;
    if ("networkError" in reply) throw new TypeError("fetch failed", { cause: new Error(reply.networkError) });
    if ("timeout" in reply) throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    return reply.body === undefined
      ? new Response(null, { status: reply.status, headers: reply.headers })
      : Response.json(reply.body, { status: reply.status, headers: reply.headers });
  };

  /** `METHOD /path bearer` for each request, to compare with what a command should have sent. */
  sent(): string[] {
    return this.requests.map(
      (request) => `${request.method} ${request.path}${request.bearer ? ` ${request.bearer}` : ""}`,
    );
  }

  /** Throws when a stub was never used or a request matched none. */
  verify(): void {
    const unused = this.#stubs.filter(({ used }) => used === 0).map(({ stub }) => stub.route);
    if (unused.length > 0 || this.#unmatched.length > 0) {
      throw new Error(
        `Fake transport: unused stubs [${unused.join(", ")}], requests without a stub [${this.#unmatched.join(", ")}]`,
      );
    }
  }
}
