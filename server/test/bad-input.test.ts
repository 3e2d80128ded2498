import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/middleware/request-guards.js";
import { createTestApp, PUBLIC_URL, signUp, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const SIGN_UP = "/api/auth/sign-up/email";

describe.each(DATABASE_KINDS)("bad input on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  const send = (path: string, init: RequestInit) => testApp.app.request(path, init);
  const post = (body: string, contentType?: string) =>
    send(SIGN_UP, {
      method: "POST",
      headers: { origin: PUBLIC_URL, ...(contentType ? { "content-type": contentType } : {}) },
      body,
    });

  async function expectJsonError(response: Response, status: number, error?: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: error ?? expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
  }

  it("NUL characters, which Postgres text cannot hold, are 400s, not 500s", async () => {
    // Found by the hardening suite's fuzzing: each of these was a 500.
    await expectJsonError(
      await post('{"name":"A\\u0000","email":"n@x.test","password":"password123"}', "application/json"),
      400,
      "invalid_input",
    );
    const account = await signUp(testApp);
    await expectJsonError(
      await testApp.del("/api/my/cli/tokens/%00", { cookie: account.cookie }),
      400,
      "invalid_input",
    );
    await expectJsonError(
      await testApp.postJson("/api/my/meshes", { name: "x\u0000y" }, { cookie: account.cookie }),
      400,
      "invalid_input",
    );
    await expectJsonError(
      await testApp.postForm("/login", { email: "a\u0000@x.test", password: "p" }),
      400,
      "invalid_input",
    );
  });

  it("a form post that is not a form is a 400, not a 500", async () => {
    const response = await send("/login", {
      method: "POST",
      headers: { origin: PUBLIC_URL, "content-type": "multipart/form-data; boundary=x" },
      body: '{"not":"multipart"}',
    });
    await expectJsonError(response, 400, "invalid_input");
  });

  it("malformed JSON is 400 invalid_json", async () => {
    await expectJsonError(await post('{"name": "A",', "application/json"), 400, "invalid_json");
  });

  it.each([
    ["text/plain", "name=A"],
    ["application/x-www-form-urlencoded", "name=A&email=a%40x.test&password=password123"],
    [undefined, '{"name":"A"}'],
  ])("a %s body is 415 unsupported_media_type", async (contentType, body) => {
    await expectJsonError(await post(body, contentType), 415, "unsupported_media_type");
  });

  it("a body over the limit is 413 payload_too_large", async () => {
    const huge = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES), email: "a@b.test", password: "password123" });
    await expectJsonError(await post(huge, "application/json"), 413, "payload_too_large");
  });

  it("a body over the limit without Content-Length is still 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await send(SIGN_UP, {
      method: "POST",
      headers: { origin: PUBLIC_URL, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectJsonError(response, 413, "payload_too_large");
  });

  it.each([
    ["numbers for strings", { name: 123, email: ["x"], password: 5 }],
    ["an array", [1, 2]],
    ["null", null],
    ["a bad email", { name: "A", email: "not-an-email", password: "password123" }],
    ["a short password", { name: "A", email: "short@pw.test", password: "x" }],
  ])("wrong shapes (%s) are 400 JSON", async (_label, body) => {
    await expectJsonError(await post(JSON.stringify(body), "application/json"), 400);
  });

  it.each([
    ["GET", "/nope"],
    ["GET", "/api/nope"],
    ["GET", "/api/auth/nope"],
    ["POST", "/api/auth/nope"],
    ["DELETE", "/healthz"],
  ])("%s %s is 404 not_found", async (method, path) => {
    const init: RequestInit = { method, headers: { origin: PUBLIC_URL } };
    await expectJsonError(await send(path, init), 404, "not_found");
  });
});
