import { type ServerProcess, spawnServer } from "@claudemesh/test-support/server-process";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";

export interface ServerOnPostgres {
  url: string;
  server: ServerProcess;
  cluster: ThrowawayPostgres;
  stop(): Promise<void>;
}

/**
 * The built server on its own throwaway Postgres cluster. Cheaper to start on
 * a busy machine than embedded PGlite, and the cluster can be crashed and restarted.
 */
export async function startServerOnPostgres(env: Record<string, string> = {}): Promise<ServerOnPostgres> {
  const cluster = await startThrowawayPostgres();
  const server = spawnServer({ DATABASE_URL: cluster.url, BETTER_AUTH_SECRET: "s".repeat(40), ...env });
  try {
    return {
      url: await server.listening,
      server,
      cluster,
      async stop() {
        await server.stop();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
