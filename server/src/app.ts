import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Auth } from "./auth.js";
import type { Db } from "./db/database.js";
import { errorResponse, notFound, onError } from "./middleware/errors.js";
import { jsonBody } from "./middleware/json-body.js";
import { betterAuthRoutes } from "./routes/better-auth.js";

/** Bodies are small JSON documents; anything near this is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface AppDeps {
  db: Db;
  auth: Auth;
}

/**
 * The whole HTTP surface, with no `listen()`: tests call `app.request()`,
 * `main.ts` serves it.
 */
export function createApp({ db, auth }: AppDeps) {
  const app = new Hono();

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, "payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  app.use("/api/*", jsonBody);

  app.get("/healthz", async (c) => {
    try {
      await db.execute(sql`select 1`);
    } catch {
      return errorResponse(c, "server_error", "The database is not answering.", 503);
    }
    return c.json({ status: "ok" });
  });

  app.route("/api/auth", betterAuthRoutes(auth));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
