import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv } from "./app-env.js";
import { onError } from "./middleware/errors.js";
import { formBody } from "./middleware/form-body.js";
import { jsonBody } from "./middleware/json-body.js";
import { formFields, validJson } from "./validation.js";

const Mesh = z.object({ name: z.string().min(1), slug: z.string().optional() });

/** The guards in front of Hono's validators, as request-guards.ts puts them. */
function app() {
  const routes = new Hono<AppEnv>();
  routes.use("/api/*", jsonBody);
  routes.use("/page", formBody);
  routes.post("/api/meshes", validJson(Mesh), (c) => c.json(c.req.valid("json")));
  routes.post("/page", formFields, (c) => c.json(c.req.valid("form")));
  routes.onError(onError);
  return routes;
}

/** Status and the error's code and message. */
async function refusal(response: Response) {
  const body = (await response.json()) as { error: string; message: string };
  return [response.status, body.error, body.message];
}

const post = (path: string, body: string, contentType?: string) =>
  app().request(path, { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} });

describe("Hono's validators behind our guards", () => {
  it("hands the route the contract's output, and names each field that does not fit", async () => {
    const ok = await post("/api/meshes", '{"name":"Ops","extra":1}', "application/json");
    expect(await ok.json()).toEqual({ name: "Ops" });
    const bad = await post("/api/meshes", '{"name":"","slug":7}', "application/json; charset=utf-8");
    expect([bad.status, await bad.json()]).toEqual([
      400,
      {
        error: "invalid_input",
        message:
          "name: Too small: expected string to have >=1 characters; slug: Invalid input: expected string, received number",
      },
    ]);
  });

  it.each(["application/vnd.claudemesh+json", "Application/JSON ; charset=utf-8"])(
    "reads %s as JSON on both sides",
    async (contentType) => {
      expect(await (await post("/api/meshes", '{"name":"Ops"}', contentType)).json()).toEqual({ name: "Ops" });
    },
  );

  it("refuses a JSON-looking type Hono's validator would skip (checking {} instead of the body)", async () => {
    const response = await post("/api/meshes", '{"name":"Ops"}', "application/x+y+json");
    expect(await refusal(response)).toEqual([415, "unsupported_media_type", expect.any(String)]);
  });

  it("checks a request with no body as {}", async () => {
    const response = await post("/api/meshes", "");
    expect(await refusal(response)).toEqual([
      400,
      "invalid_input",
      "name: Invalid input: expected string, received undefined",
    ]);
  });

  it("gives a page the form's string fields, dropping repeated ones", async () => {
    const response = await post(
      "/page",
      "code=ABCD-EFGH&decision=approve&x=1&x=2",
      "application/x-www-form-urlencoded",
    );
    expect(await response.json()).toEqual({ code: "ABCD-EFGH", decision: "approve" });
    expect(await (await post("/page", '{"code":"x"}', "application/json")).json()).toEqual({});
  });

  it("refuses a form with NUL in a repeated field before the page sees it", async () => {
    const response = await post("/page", "code=a&code=b%00", "application/x-www-form-urlencoded");
    expect(await refusal(response)).toEqual([400, "invalid_input", expect.stringContaining("NUL")]);
  });
});
