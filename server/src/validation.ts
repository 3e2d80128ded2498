import { ClaudemeshError } from "@claudemesh/sdk/errors";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "./app-env.js";

/** The request's JSON body checked against a contract; a mismatch is a 400 that names each field. */
export async function readJson<Schema extends z.ZodType>(c: Context<AppEnv>, schema: Schema): Promise<z.infer<Schema>> {
  // The jsonBody middleware has parsed (and vetted) it already; an empty body is `{}`.
  const body = c.get("json") ?? {};
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  throw new ClaudemeshError("invalid_input", problems.join("; "));
}

/** A browser form post's fields (strings only; files and repeats dropped), vetted already by formBody. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const parsed = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (typeof value === "string") fields[name] = value;
  return fields;
}
