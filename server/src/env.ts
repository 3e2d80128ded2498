import * as z from "zod";
import { parseNetworks } from "./policy/networks.js";

// The one place the server reads process.env.

const ServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on; unset means every interface (Node's default). */
  HOST: z.string().min(1).optional(),
  /** A real Postgres; when unset, embedded PGlite in CLAUDEMESH_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  CLAUDEMESH_DATA_DIR: z.string().min(1).default("./.data"),
  BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters").optional(),
  /** Where browsers reach this server; default http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * How many reverse proxies in front of this server append to X-Forwarded-For
   * (1 for one nginx or Caddy); 0 trusts none and uses the socket's peer.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Where invite and verification emails go out, e.g. smtps://user:pass@smtp.example.com; unset keeps them in email_outbox. */
  SMTP_URL: z.string().url().optional(),
  /** The From: of those emails. */
  SMTP_FROM: z.string().min(3).default("claudemesh <no-reply@localhost>"),
  /**
   * `off` turns device-code sign-in off (`claudemesh login`'s default, the one a phishing link can start):
   * requesting a code answers 403 device_flow_disabled. `claudemesh login --web` and tokens still work.
   */
  DEVICE_FLOW: z.enum(["on", "off"], { message: 'DEVICE_FLOW must be "on" or "off"' }).default("on"),
  /**
   * Networks a CLI sign-in may be approved from, as CIDRs separated by commas (IPv4 and IPv6, e.g.
   * `10.0.0.0/8,2001:db8::/32`); unset means anywhere. Matched against the client address (TRUST_PROXY).
   */
  APPROVAL_NETWORKS: z
    .string()
    .transform((list, context) => {
      const parsed = parseNetworks(list);
      if ("networks" in parsed) return parsed.networks;
      context.addIssue({
        code: "custom",
        message: `not a network: ${parsed.invalid.map((entry) => JSON.stringify(entry)).join(", ")} (write each as an address with a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32, separated by commas)`,
      });
      return z.NEVER;
    })
    .optional(),
  /**
   * Serves Prometheus `/metrics` (the broker's counters) on a port of its own, with no token:
   * keep it on a private interface (METRICS_HOST, loopback by default).
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** The interface METRICS_PORT listens on. */
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** Serves `/metrics` on the API port too, to `Authorization: Bearer <METRICS_TOKEN>` only. */
  METRICS_TOKEN: z.string().min(32, "METRICS_TOKEN must be at least 32 characters").optional(),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

/** Every variable the server reads; docs/self-hosting.md describes each (a test holds it to that). */
export const SERVER_ENV_VARIABLES = Object.keys(ServerEnv.shape) as (keyof ServerEnv)[];

/** Parses the server's environment, or throws a message naming each bad variable. */
export function readServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  // Treat empty variables as unset, as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = ServerEnv.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
}
