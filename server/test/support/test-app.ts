import { randomBytes } from "node:crypto";
import { type App, createApp } from "../../src/app.js";
import { createAuth } from "../../src/auth.js";
import { createMailer, type Mailer } from "../../src/email/mailer.js";
import type { ApprovalPolicy } from "../../src/policy/approval-policy.js";
import {
  logTokenUseFailure,
  prepareTokenUseRecorder,
  type TokenUseRecorder,
} from "../../src/tokens/token-use-recorder.js";
import { createMigratedDatabase, type DatabaseKind, type TestDatabase } from "./test-database.js";

/** The origin tests pretend to be, as a browser on the server's own pages would send. */
export const PUBLIC_URL = "http://localhost:3000";

/** A clock that stands still until a test moves it, so expiry and intervals are exact. */
export class TestClock {
  #now: number;
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  clock: TestClock;
  /** Tokens' uses, written after each request is answered: await `settled()` before reading them. */
  tokenUses: TokenUseRecorder;
  /** Every wait the password tarpit asked for, in order; nothing really waits. */
  tarpitWaits: number[];
  /** `app.request` with a JSON body, the same-origin `Origin` header and optional cookie/bearer. */
  postJson(path: string, body: unknown, options?: RequestOptions): Promise<Response>;
  /** A browser's form post (urlencoded), from our own origin unless `headers` says otherwise. */
  postForm(path: string, fields: Record<string, string>, options?: RequestOptions): Promise<Response>;
  get(path: string, options?: RequestOptions): Promise<Response>;
  del(path: string, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface RequestOptions {
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** The real app on a fresh, migrated database of the given kind (or on one it shares). */
export async function createTestApp(
  kind: DatabaseKind,
  options: {
    database?: TestDatabase;
    clock?: TestClock;
    publicUrl?: string;
    mailer?: Mailer;
    /** TRUST_PROXY: tests then say where a request comes from with X-Forwarded-For. */
    trustedProxies?: number;
    /** The secret that signs cookies; random unless a test needs to sign one itself. */
    secret?: string;
    /** DEVICE_FLOW and APPROVAL_NETWORKS as the server would read them. */
    policy?: ApprovalPolicy;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createMigratedDatabase(kind));
  const clock = options.clock ?? new TestClock();
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  // Without one given, mail waits in email_outbox, where tests read it.
  const mailer =
    options.mailer ??
    createMailer({ db: database.db, transport: null, from: "claudemesh <t@test>", log: () => {}, now: clock.now });
  const auth = createAuth({
    db: database.db,
    secret: options.secret ?? randomBytes(32).toString("hex"),
    publicUrl,
    mailer,
    now: clock.now,
  });
  const tarpitWaits: number[] = [];
  const tokenUses = prepareTokenUseRecorder(database.db, logTokenUseFailure);
  const app = createApp({
    tokenUses,
    database,
    auth,
    publicUrl,
    now: clock.now,
    mailer,
    trustedProxies: options.trustedProxies,
    policy: options.policy,
    sleep: async (ms) => {
      tarpitWaits.push(ms);
    },
  });
  const headers = (options?: RequestOptions): Record<string, string> => ({
    origin: new URL(publicUrl).origin,
    ...(options?.cookie ? { cookie: options.cookie } : {}),
    ...(options?.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options?.headers,
  });
  return {
    app,
    database,
    clock,
    tokenUses,
    tarpitWaits,
    postJson: async (path, body, options) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers(options) },
        body: JSON.stringify(body),
      }),
    postForm: async (path, fields, options) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers(options) },
        body: new URLSearchParams(fields).toString(),
      }),
    get: async (path, options) => app.request(path, { headers: headers(options) }),
    del: async (path, options) => app.request(path, { method: "DELETE", headers: headers(options) }),
    close: async () => {
      await tokenUses.settled();
      await database.close();
    },
  };
}

let accounts = 0;

export interface TestAccount {
  id: string;
  name: string;
  email: string;
  password: string;
  cookie: string;
}

/** Signs a new user up, then in (sign-up signs nobody in), and returns them with their web session cookie. */
export async function signUp(
  testApp: TestApp,
  overrides: Partial<{ name: string; email: string; password: string }> = {},
  headers: Record<string, string> = {},
): Promise<TestAccount> {
  accounts += 1;
  const account = {
    name: `Test User ${accounts}`,
    email: `user${accounts}.${randomBytes(3).toString("hex")}@example.test`,
    password: "correct horse battery",
    ...overrides,
  };
  const response = await testApp.postJson("/api/auth/sign-up/email", account, { headers });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const signedIn = await testApp.postJson(
    "/api/auth/sign-in/email",
    { email: account.email, password: account.password },
    { headers },
  );
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
  const body = (await signedIn.json()) as { user: { id: string } };
  return { ...account, id: body.user.id, cookie: sessionCookie(signedIn) };
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function sessionCookie(response: Response): string {
  const cookies = response.headers.getSetCookie().map((line) => line.split(";")[0]);
  if (cookies.length === 0) throw new Error("the response set no cookie");
  return cookies.join("; ");
}
