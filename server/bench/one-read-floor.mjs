// The naive floor for `pnpm bench server`: a bare Hono app on @hono/node-server
// that answers a bearer token with one prepared, indexed read of its SHA-256 per
// request (postgres.js, a pool of 10 like the server's), and nothing else: no
// revocation or expiry check, no use recording, no headers. What any token
// check on this stack costs when every request makes its own round trip.
import { hash } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });

const app = new Hono().get("/api/my/whoami", async (c) => {
  const token = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) return c.json({ error: "auth_required" }, 401);
  const [owner] = await sql`
    select u.id, u.name from cli_token t join "user" u on u.id = t.user_id
    where t.token_hash = ${hash("sha256", token, "hex")}`;
  return owner ? c.json(owner) : c.json({ error: "token_invalid" }, 401);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => sql.end().then(() => process.exit(0))));
