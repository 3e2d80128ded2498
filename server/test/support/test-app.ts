import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.js";
import { createAuth } from "../../src/auth.js";
import { createMigratedDatabase, type DatabaseKind, type TestDatabase } from "./test-database.js";

/** The origin tests pretend to be, as a browser on the server's own pages would send. */
export const PUBLIC_URL = "http://localhost:3000";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  /** `app.request` with a JSON body, the same-origin `Origin` header and an optional cookie. */
  postJson(path: string, body: unknown, options?: { cookie?: string }): Promise<Response>;
  get(path: string, options?: { cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** The real app on a fresh, migrated database of the given kind. */
export async function createTestApp(kind: DatabaseKind): Promise<TestApp> {
  const database = await createMigratedDatabase(kind);
  const auth = createAuth({ db: database.db, secret: randomBytes(32).toString("hex"), publicUrl: PUBLIC_URL });
  const app = createApp({ db: database.db, auth });
  const headers = (cookie?: string): Record<string, string> => ({
    origin: PUBLIC_URL,
    ...(cookie ? { cookie } : {}),
  });
  return {
    app,
    database,
    postJson: async (path, body, options) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers(options?.cookie) },
        body: JSON.stringify(body),
      }),
    get: async (path, options) => app.request(path, { headers: headers(options?.cookie) }),
    close: () => database.close(),
  };
}

let accounts = 0;

/** Signs a new user up and returns them with their web session cookie. */
export async function signUp(
  testApp: TestApp,
  overrides: Partial<{ name: string; email: string; password: string }> = {},
): Promise<{ id: string; name: string; email: string; password: string; cookie: string }> {
  accounts += 1;
  const account = {
    name: `Test User ${accounts}`,
    email: `user${accounts}.${randomBytes(3).toString("hex")}@example.test`,
    password: "correct horse battery",
    ...overrides,
  };
  const response = await testApp.postJson("/api/auth/sign-up/email", account);
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  return { ...account, id: body.user.id, cookie: sessionCookie(response) };
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function sessionCookie(response: Response): string {
  const cookies = response.headers.getSetCookie().map((line) => line.split(";")[0]);
  if (cookies.length === 0) throw new Error("the response set no cookie");
  return cookies.join("; ");
}
