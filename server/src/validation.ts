import { ClaudemeshError } from "@claudemesh/sdk/errors";
import type { Context } from "hono";
import type { z } from "zod";

/** The request's JSON body checked against a contract; a mismatch is a 400 that names each field. */
export async function readJson<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw new ClaudemeshError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  throw new ClaudemeshError("invalid_input", problems.join("; "));
}
