import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { checkParsedBody } from "./json-body.js";

/**
 * Every page body is a form, read and vetted before a page sees it (as jsonBody
 * does for the API): a form that cannot be read, or that holds NUL characters or
 * too many fields, is a 400. Parsed once; the routes read it back from Hono's
 * body cache. Other bodies pass untouched, and a page reads them as an empty form.
 */
export const formBody = createMiddleware<AppEnv>(async (c, next) => {
  let form: Record<string, unknown>;
  try {
    // Every value of a repeated field, so none slips past the checks below.
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new ClaudemeshError(
      "invalid_input",
      "The form could not be read; send it as application/x-www-form-urlencoded.",
    );
  }
  checkParsedBody(form);
  return next();
});
