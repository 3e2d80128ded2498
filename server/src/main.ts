import { spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { type App, createApp } from "./app.js";
import { createAuth } from "./auth.js";
import { Broker } from "./broker/broker.js";
import { createBrokerMetrics, serveMetrics } from "./broker/metrics.js";
import { handleBrokerUpgrade } from "./broker/upgrade.js";
import { type DatabaseConfig, initializePglite, needsInitdb, openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { keepPgliteOnBaselineCompiler } from "./db/pglite-compiler.js";
import { createMailer } from "./email/mailer.js";
import { smtpTransport } from "./email/smtp-transport.js";
import { readServerEnv } from "./env.js";
import { disableAsyncStoragesWhenIdle } from "./idle-async-storage.js";
import { log } from "./log.js";
import { NoStoreServerResponse } from "./middleware/no-store.js";
import { loadOrCreateSecret } from "./secret.js";
import { logTokenUseFailure, prepareTokenUseRecorder } from "./tokens/token-use-recorder.js";

// Reads the environment, opens and migrates the database, then listens.
// Any failure before listening exits non-zero, so a health check fails closed.

/** Run as `main.js --initdb-only`: creates the embedded database and exits (see below). */
const INITDB_ONLY = "--initdb-only";

async function start(): Promise<void> {
  const env = readServerEnv();
  // On Node 20 and 22 a used AsyncLocalStorage hooks every promise for good (whoami 5 300 instead of 8 800
  // req/s); this turns storages off between runs. Node 24's are not built on hooks (AsyncContextFrame): a no-op there.
  disableAsyncStoragesWhenIdle();
  const databaseConfig: DatabaseConfig = env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL }
    : { kind: "pglite", dataDir: env.CLAUDEMESH_DATA_DIR };
  if (databaseConfig.kind === "pglite") keepPgliteOnBaselineCompiler();

  const { secret, file: secretFile } = await loadOrCreateSecret(env.BETTER_AUTH_SECRET, env.CLAUDEMESH_DATA_DIR);
  if (secretFile) {
    log.warn(
      `warning: BETTER_AUTH_SECRET is not set; using the generated secret in ${secretFile}. Set BETTER_AUTH_SECRET in production.`,
    );
  }

  if (databaseConfig.kind === "pglite" && needsInitdb(databaseConfig.dataDir)) {
    // initdb leaves ~500 MB of WASM memory behind in the process that ran it, so a
    // short-lived child runs it and the server opens the finished cluster at its steady size.
    log.info(`creating the embedded database in ${databaseConfig.dataDir} (first start)…`);
    const initdb = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? "", INITDB_ONLY], {
      stdio: "inherit",
    });
    if (initdb.status !== 0) {
      log.error(`could not create the embedded database in ${databaseConfig.dataDir}`);
      process.exit(1);
    }
  }

  const database = await openDatabase(databaseConfig);
  log.info(
    database.kind === "postgres"
      ? "database: Postgres (DATABASE_URL)"
      : `database: embedded PGlite in ${env.CLAUDEMESH_DATA_DIR}`,
  );
  try {
    const { applied, total } = await migrate(database);
    log.info(
      applied > 0 ? `migrations: applied ${applied} (${total} in all)` : `migrations: up to date (${total} in all)`,
    );
  } catch (error) {
    log.error(`migrations failed: ${(error as Error).message}`);
    await database.close().catch(() => {});
    process.exit(1);
  }

  const metrics = createBrokerMetrics();
  const broker = new Broker({ database, metrics });
  try {
    await broker.start();
    if (env.METRICS_PORT) {
      await serveMetrics(metrics, env.METRICS_PORT, env.METRICS_HOST);
      log.info(`metrics: http://${displayHost(env.METRICS_HOST)}:${env.METRICS_PORT}/metrics`);
    }
  } catch (error) {
    log.error(`broker failed to start: ${(error as Error).message}`);
    await database.close().catch(() => {});
    process.exit(1);
  }

  const tokenUses = prepareTokenUseRecorder(database.db, logTokenUseFailure);
  // The app needs the public URL, which with PORT=0 is known only once bound;
  // 'listening' fires before any connection is handled, so `app` is set in time.
  let app: App | undefined;
  const server = createAdaptorServer({
    fetch: (request, bindings) => (app ? app.fetch(request, bindings) : new Response(null, { status: 503 })),
    // no-store goes on as each answer's head is written, not through Hono's headers (no-store.ts).
    serverOptions: { ServerResponse: NoStoreServerResponse },
  });
  server.on(
    "upgrade",
    handleBrokerUpgrade(
      (request, bindings) => (app ? app.fetch(request, bindings) : new Response(null, { status: 503 })),
      (request, socket, head, admission) => broker.accept(request, socket, head, admission),
    ),
  );
  server.on("error", (error) => {
    log.error(`cannot listen on port ${env.PORT}: ${error.message}`);
    process.exit(1);
  });
  server.listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;
    const transport = env.SMTP_URL ? smtpTransport(env.SMTP_URL) : null;
    const mailer = createMailer({ db: database.db, transport, from: env.SMTP_FROM });
    const auth = createAuth({ db: database.db, secret, publicUrl, mailer });
    const policy = { deviceFlow: env.DEVICE_FLOW === "on", approvalNetworks: env.APPROVAL_NETWORKS ?? null };
    const metricsEndpoint = env.METRICS_TOKEN ? { metrics, token: env.METRICS_TOKEN } : undefined;
    app = createApp({
      database,
      publicUrl,
      mailer,
      auth,
      trustedProxies: env.TRUST_PROXY,
      policy,
      metricsEndpoint,
      tokenUses,
    });
    // The bound address first (supervisors and tests wait for it), then where people reach it.
    log.info(`listening on http://${displayHost(env.HOST)}:${port}`);
    if (env.PUBLIC_URL) log.info(`public URL: ${publicUrl}`);
    if (!policy.deviceFlow) log.info("device sign-in: off (DEVICE_FLOW=off)");
    if (policy.approvalNetworks) log.info(`approvals only from: ${policy.approvalNetworks.cidrs.join(", ")}`);
    log.info(`sign in from a terminal: CLAUDEMESH_API_URL=${publicUrl} claudemesh login`);
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.close();
    // Sockets first (their presence is removed), then the tokens' last uses, then the
    // database; closing PGlite flushes it.
    broker
      .stop()
      .catch(() => {})
      .then(() => tokenUses.settled())
      .then(() => database.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function initdbOnly(): Promise<void> {
  // Baseline-compiled, initdb also runs faster: 4.8 s instead of 5.4 s.
  keepPgliteOnBaselineCompiler();
  await initializePglite(readServerEnv().CLAUDEMESH_DATA_DIR);
}

const run = process.argv.includes(INITDB_ONLY) ? initdbOnly : start;
run().catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/** How to write the bound host in a URL: localhost for "all interfaces", IPv6 in brackets. */
function displayHost(host: string | undefined): string {
  if (!host || host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
