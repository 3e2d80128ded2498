import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { validator } from "hono/validator";
import type { z } from "zod";

/** A contract's complaints, one per field: `name: Too small; slug: …` (`whole` names the value itself). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], whole: string): string {
  return issues.map((issue) => `${issue.path.join(".") || whole}: ${issue.message}`).join("; ");
}

/**
 * Hono's validator for a JSON body against one of the sdk's contracts: a
 * mismatch is a 400 `invalid_input` that names each field; the route reads the
 * result as `c.req.valid("json")`. jsonBody has refused anything but JSON and
 * vetted it first; a request with no body is checked as `{}`.
 */
export function validJson<Schema extends z.ZodType>(schema: Schema) {
  return validator("json", (value): z.infer<Schema> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new ClaudemeshError("invalid_input", describeIssues(parsed.error.issues, "body"));
  });
}

/**
 * Hono's validator for a browser form post, which formBody has vetted: its
 * string fields (files and repeated fields dropped), read as `c.req.valid("form")`.
 * A body that is not a form reads as no fields.
 */
export const formFields = validator("form", (value) => {
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) if (typeof field === "string") fields[name] = field;
  return fields;
});
