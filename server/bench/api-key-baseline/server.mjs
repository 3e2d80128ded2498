// The baseline for `pnpm bench server`: a stock Better Auth with the apiKey
// plugin, wired as its documentation shows (a `pg` Pool, its migrations, a
// route that calls `auth.api.verifyApiKey`). The one change from the defaults:
// the plugin's own rate limit (10 requests a day per key) is off, or there
// would be nothing to measure. Prints the key it made and the address.
import { apiKey } from "@better-auth/api-key";
import { serve } from "@hono/node-server";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { Hono } from "hono";
import pg from "pg";

const auth = betterAuth({
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }),
  secret: "baseline-secret-baseline-secret-baseline",
  baseURL: "http://localhost",
  emailAndPassword: { enabled: true },
  plugins: [apiKey({ rateLimit: { enabled: false } })],
  telemetry: { enabled: false },
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
const { user } = await auth.api.signUpEmail({
  body: { name: "Baseline", email: "baseline@example.test", password: "baseline password" },
});
const created = await auth.api.createApiKey({ body: { userId: user.id, name: "bench" } });

const app = new Hono();
app.get("/whoami", async (c) => {
  const result = await auth.api.verifyApiKey({ body: { key: c.req.header("x-api-key") ?? "" } });
  if (!result.valid || !result.key) return c.json({ error: "unauthorized" }, 401);
  return c.json({ key_id: result.key.id, user_id: result.key.referenceId ?? result.key.userId });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
  console.log(`key ${created.key}`);
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
